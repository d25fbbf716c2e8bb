import { reject } from "../../core/kind.ts";
import type { ConnectInfo, Rejection } from "../../core/kind.ts";
import type { TabletopState } from "./state";

/**
 * With a `players` list on the session only those users and the DM may
 * connect (seed 002 via PROTOCOLS: others are closed 4003); without one,
 * any authenticated user may join.
 */
export function admit(state: TabletopState, info: ConnectInfo): Rejection | null {
  if (state.invited === null) return null;
  const userId = info.actor.userId;
  if (userId === state.dm_user_id || state.invited.includes(userId)) return null;
  return reject("NOT_INVITED", "You are not a player in this session", 403);
}
