import { applied, type ApplyResult, type KindCtx, type PresenceChange } from "../../core/kind.ts";
import { isDmUser } from "./roles.ts";
import { isoTimestamp, type CampaignState } from "./state.ts";

/**
 * The core calls this on a user's first socket open and last socket close.
 * Players' joins and leaves go to the DM only (seed 001 `player_joined`,
 * Hearth adds `player_left`); logged, so a DM who reconnects with `since`
 * hears what happened while away. The DM's own presence is only recorded.
 */
export function presence(state: CampaignState, change: PresenceChange, ctx: KindCtx): ApplyResult<CampaignState> {
  const { actor } = change;
  const timestamp = isoTimestamp(ctx.now);
  if (isDmUser(state.dm_user_id, actor)) {
    const dm_online = change.kind === "join";
    return dm_online === state.dm_online ? applied(state) : applied({ ...state, dm_online });
  }
  const here = state.players_online.some((p) => p.user_id === actor.userId);
  const frame = (type: string) => ({ body: { type, user_id: actor.userId, username: actor.name, timestamp }, to: [state.dm_user_id] });
  if (change.kind === "join") {
    if (here) return applied(state);
    const player = { user_id: actor.userId, username: actor.name, connected_at: timestamp };
    return applied({ ...state, players_online: [...state.players_online, player] }, [frame("player_joined")]);
  }
  if (!here) return applied(state);
  return applied({ ...state, players_online: state.players_online.filter((p) => p.user_id !== actor.userId) }, [frame("player_left")]);
}
