import { applied, reject, type ApplyResult, type KindCtx } from "../../core/kind.ts";
import { maySendDmFrames } from "./roles.ts";
import { DM_COMMANDS, MAX_FRAME_BYTES, type CampaignCommand, type StructuredData } from "./schema.ts";
import { isoTimestamp, type CampaignState } from "./state.ts";

export const CampaignErrors = {
  dmOnly: () => reject("DM_ONLY", "Only the campaign's DM may load, update or deactivate it.", 403),
  notDm: () => reject("NOT_CAMPAIGN_DM", "Only the campaign's DM or a service may do this.", 403),
  inactive: () => reject("CAMPAIGN_INACTIVE", "The campaign is not active; load it first.", 409),
  playersOnly: () => reject("PLAYERS_ONLY", "Only a player socket sends player_status.", 403),
  tooLarge: () => reject("STRUCTURED_DATA_TOO_LARGE", `structured_data may be at most ${MAX_FRAME_BYTES} bytes once merged.`, 413),
} as const;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

/** What the HTTP caller gets back; the route adds seq and epoch. */
const resultOf = (s: CampaignState) => ({ campaign_id: s.campaign_id, active: s.active, structured_data: s.structured_data });

/**
 * Seed 001's rules. DM frames (load, update, deactivate) broadcast to every
 * socket of the campaign; a player's status reaches the DM only; a heartbeat
 * is answered to its sender and changes nothing.
 */
export function apply(state: CampaignState, command: CampaignCommand, ctx: KindCtx): ApplyResult<CampaignState> {
  const timestamp = isoTimestamp(ctx.now);
  if (DM_COMMANDS.has(command.type) && !maySendDmFrames(state.dm_user_id, ctx.actor)) {
    return ctx.actor.role === "player" ? CampaignErrors.dmOnly() : CampaignErrors.notDm();
  }
  switch (command.type) {
    case "heartbeat":
      return applied(state, [], { replies: [{ type: "heartbeat", timestamp }] });
    case "player_status": {
      if (ctx.actor.role !== "player") return CampaignErrors.playersOnly();
      const body = { type: "player_status", user_id: ctx.actor.userId, username: ctx.actor.name, status: command.status, timestamp };
      // Ephemeral: "typing" is news now, not history a reconnecting DM should replay.
      return applied(state, [{ body, to: [state.dm_user_id], log: false }]);
    }
    case "campaign_loaded":
      return broadcast(state, command.type, command.structured_data, timestamp);
    case "campaign_updated": {
      if (!state.active) return CampaignErrors.inactive();
      // An update names what changed; the broadcast carries the whole, so a seed client
      // (which replaces its data with what it receives) never blanks a field it was not sent.
      return broadcast(state, command.type, { ...state.structured_data, ...command.structured_data }, timestamp);
    }
    case "campaign_deactivated": {
      if (!state.active) return CampaignErrors.inactive();
      const next: CampaignState = { ...state, active: false, changed_at: timestamp };
      return applied(next, [{ body: { type: "campaign_deactivated", timestamp, campaign_id: state.campaign_id } }], { result: resultOf(next) });
    }
  }
}

function broadcast(state: CampaignState, type: "campaign_loaded" | "campaign_updated", data: StructuredData, timestamp: string): ApplyResult<CampaignState> {
  if (byteLength(data) > MAX_FRAME_BYTES) return CampaignErrors.tooLarge();
  const next: CampaignState = { ...state, active: true, structured_data: data, changed_at: timestamp };
  const body = { type, timestamp, campaign_id: state.campaign_id, structured_data: data };
  return applied(next, [{ body }], { result: resultOf(next) });
}
