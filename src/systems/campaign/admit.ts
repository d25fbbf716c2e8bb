import { reject, type ConnectInfo, type Rejection } from "../../core/kind.ts";
import { isDmUser, ROLE } from "./roles.ts";
import type { CampaignState } from "./state.ts";

/**
 * Who may open a socket or read the campaign (the core also asks this for
 * GET and history; services skip it there). The DM socket is the DM's alone;
 * with a `players` list only they, the DM and services may connect as players.
 */
export function admit(state: CampaignState, info: ConnectInfo): Rejection | null {
  const { actor } = info;
  if (isDmUser(state.dm_user_id, actor)) return null;
  if (actor.role === ROLE.dm) return reject("NOT_CAMPAIGN_DM", "Only the campaign's DM may open the DM socket", 403);
  if (actor.service || state.invited === null || state.invited.includes(actor.userId)) return null;
  return reject("NOT_INVITED", "You are not a player in this campaign", 403);
}
