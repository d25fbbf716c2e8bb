import { applied, reject, type Actor, type ApplyResult, type Effect, type Emit, type KindCtx } from "../../core/kind.ts";
import { objectName } from "../../core/objectName.ts";
import { campaignOf, isDmUser, maySendDmFrames, ROLE, routeOf } from "./roles.ts";
import { MAX_FRAME_BYTES, type StructuredData } from "./schema.ts";
import { isoTimestamp, own, registerCampaign, type TableCampaign, type TableState } from "./state.ts";
import type { TableCommand } from "./tableSchema.ts";

export const CampaignErrors = {
  dmOnly: () => reject("DM_ONLY", "Only the campaign's DM may load, update or deactivate it.", 403),
  notDm: () => reject("NOT_CAMPAIGN_DM", "Only the campaign's DM or a service may do this.", 403),
  inactive: () => reject("CAMPAIGN_INACTIVE", "The campaign is not active; load it first.", 409),
  playersOnly: () => reject("PLAYERS_ONLY", "Only a player socket sends player_status.", 403),
  tooLarge: () => reject("STRUCTURED_DATA_TOO_LARGE", `structured_data may be at most ${MAX_FRAME_BYTES} bytes once merged.`, 413),
  unknown: (id: string) => reject("CAMPAIGN_NOT_FOUND", `Campaign ${id} is not one of this DM's campaigns.`, 404),
  noTarget: () => reject("NO_ACTIVE_CAMPAIGN", "No campaign is named and none is active.", 409),
  stale: () => reject("STALE_DATA", "The campaign's last data has not reached its record yet, or was not given; try again or send structured_data.", 409),
} as const;

const byteLength = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

/** May this user follow this campaign (hear its frames, read it)? */
export const follows = (state: TableState, c: TableCampaign, actor: Actor) =>
  isDmUser(state.dm_user_id, actor) || actor.service || c.invited === null || c.invited.includes(actor.userId);

/** Who hears a campaign's frames: everyone at the table, or its invited players and the DM. */
const audience = (state: TableState, c: TableCampaign): Pick<Emit, "to"> => (c.invited === null ? {} : { to: [...c.invited, state.dm_user_id] });

/** What an HTTP caller gets back; the route adds seq and epoch. */
const resultOf = (id: string, c: TableCampaign, active: boolean, deactivated: string[]) => ({ campaign_id: id, active, structured_data: c.structured_data, deactivated });

/**
 * Deactivates the active campaign `id`: its followers hear `campaign_deactivated`, and its data
 * goes to its record (an outbox message, delivered after the commit, in order, once) and leaves
 * the table's state, which so holds the data of one campaign only.
 */
function deactivate(state: TableState, id: string, c: TableCampaign, timestamp: string): { state: TableState; emit: Emit; effects: Effect[] } {
  const saves = c.saves + 1;
  const effects: Effect[] = c.structured_data === null ? [] : [{ to: objectName("campaign", id), body: { op: "saved", saves, structured_data: c.structured_data } }];
  const next: TableCampaign = { ...c, structured_data: null, changed_at: timestamp, saves: effects.length ? saves : c.saves };
  return {
    state: { ...state, campaigns: { ...state.campaigns, [id]: next }, active: null },
    emit: { body: { type: "campaign_deactivated", timestamp, campaign_id: id }, ...audience(state, c) },
    effects,
  };
}

/**
 * Activates `id` with `data`: the active campaign (if another) is deactivated
 * in the same commit, its followers hearing `campaign_deactivated` first, then
 * `campaign_loaded` for this one. One commit, one object: concurrent switches
 * are serialized here, so exactly one campaign is active after any of them.
 */
function activate(state: TableState, id: string, c: TableCampaign, data: StructuredData, timestamp: string): ApplyResult<TableState> {
  if (byteLength(data) > MAX_FRAME_BYTES) return CampaignErrors.tooLarge();
  const emits: Emit[] = [];
  const effects: Effect[] = [];
  const deactivated: string[] = [];
  let before = state;
  const old = state.active !== null && state.active !== id ? own(state.campaigns, state.active) : undefined;
  if (old && state.active !== null) {
    const off = deactivate(state, state.active, old, timestamp);
    before = off.state;
    emits.push(off.emit);
    effects.push(...off.effects);
    deactivated.push(state.active);
  }
  const next: TableCampaign = { ...c, structured_data: data, changed_at: timestamp };
  emits.push({ body: { type: "campaign_loaded", timestamp, campaign_id: id, structured_data: data }, ...audience(state, c) });
  const after: TableState = { ...before, campaigns: { ...before.campaigns, [id]: next }, active: id, current: id };
  return applied(after, emits, { result: resultOf(id, next, true, deactivated), ...(effects.length ? { effects } : {}) });
}

/**
 * The data a switch without `structured_data` loads: the active campaign's own, else its record's
 * as the worker read it, if the record has every save the table sent (else STALE_DATA: the worker
 * reads again); a campaign never saved starts from `{}`.
 */
function lastData(state: TableState, id: string, c: TableCampaign, stored: { saves: number; structured_data: StructuredData | null } | undefined): StructuredData | null {
  if (state.active === id && c.structured_data !== null) return c.structured_data;
  if (stored && stored.saves === c.saves) return stored.structured_data ?? {};
  return c.saves === 0 && !stored ? {} : null;
}

/**
 * A DM's table (seed 001's campaign switching): one object per DM holding
 * every socket of the DM's campaigns (DM and players) and the one pointer to
 * the active campaign. A player socket follows the DM: when the DM switches, it
 * hears `campaign_deactivated` for the old campaign and `campaign_loaded` for
 * the new one on the same socket, then the new one's updates. All of a DM's
 * campaign commands (HTTP, DM socket, switch) run here, one at a time.
 */
export function applyTable(state: TableState, command: TableCommand, ctx: KindCtx): ApplyResult<TableState> {
  const timestamp = isoTimestamp(ctx.now);
  const { actor } = ctx;
  switch (command.type) {
    case "heartbeat":
      return applied(state, [], { replies: [{ type: "heartbeat", timestamp }] });
    case "player_status": {
      if (routeOf(actor) !== ROLE.player) return CampaignErrors.playersOnly();
      const body = { type: "player_status", user_id: actor.userId, username: actor.name, status: command.status, timestamp };
      // Ephemeral: "typing" is news now, not history a reconnecting DM should replay.
      return applied(state, [{ body, to: [state.dm_user_id], log: false }]);
    }
    case "register":
      return applied(registerCampaign(state, command), [], { result: { campaign_id: command.campaign_id, registered: true } });
    default:
      break;
  }
  if (!maySendDmFrames(state.dm_user_id, actor)) return routeOf(actor) === ROLE.player ? CampaignErrors.dmOnly() : CampaignErrors.notDm();
  const id = command.campaign_id ?? campaignOf(actor) ?? state.active;
  if (id === null) return CampaignErrors.noTarget();
  const c = own(state.campaigns, id);
  if (!c) return CampaignErrors.unknown(id);
  switch (command.type) {
    case "campaign_loaded":
      return activate(state, id, c, command.structured_data, timestamp);
    case "switch": {
      const data = command.structured_data ?? lastData(state, id, c, command.stored);
      if (data === null) return CampaignErrors.stale();
      const out = activate(state, id, c, data, timestamp);
      return out.ok ? { ...out, result: { dm_user_id: state.dm_user_id, ...(out.result as object) } } : out;
    }
    case "campaign_updated": {
      if (state.active !== id) return CampaignErrors.inactive();
      // An update names what changed; the broadcast carries the whole, so a seed client
      // (which replaces its data with what it receives) never blanks a field it was not sent.
      const data = { ...c.structured_data, ...command.structured_data };
      if (byteLength(data) > MAX_FRAME_BYTES) return CampaignErrors.tooLarge();
      const next: TableCampaign = { ...c, structured_data: data, changed_at: timestamp };
      const body = { type: "campaign_updated", timestamp, campaign_id: id, structured_data: data };
      return applied({ ...state, campaigns: { ...state.campaigns, [id]: next } }, [{ body, ...audience(state, c) }], { result: resultOf(id, next, true, []) });
    }
    case "campaign_deactivated": {
      if (state.active !== id) return CampaignErrors.inactive();
      const off = deactivate(state, id, c, timestamp);
      const result = { campaign_id: id, active: false, structured_data: c.structured_data, deactivated: [id] };
      return applied(off.state, [off.emit], { result, ...(off.effects.length ? { effects: off.effects } : {}) });
    }
  }
}
