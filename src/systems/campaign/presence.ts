import { applied, type ApplyResult, type KindCtx, type PresenceChange } from "../../core/kind.ts";
import { isDmUser } from "./roles.ts";
import { isoTimestamp, type TableState } from "./state.ts";

/** Players' first socket open / last close -> `player_joined` / `player_left` to the DM only (logged); the DM is only recorded. */
export function presenceTable(state: TableState, change: PresenceChange, ctx: KindCtx): ApplyResult<TableState> {
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

