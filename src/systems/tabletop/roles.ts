import type { Actor } from "../../core/kind.ts";
import type { TabletopState } from "./state";

/**
 * The DM is the session's `dm_user_id`, nobody else: not a token role, not a
 * frame field. An empty dm_user_id (broken config) makes nobody DM.
 */
export function isDm(state: TabletopState, actor: Actor): boolean {
  return state.dm_user_id !== "" && actor.userId === state.dm_user_id;
}
