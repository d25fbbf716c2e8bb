import { reject, type ConnectInfo, type Rejection } from "../../core/kind.ts";
import { campaignOf, isDmUser, ROLE, routeOf } from "./roles.ts";
import { CampaignErrors, follows } from "./rules.ts";
import { own, type TableState } from "./state.ts";

/**
 * Who may sit at the table. The DM socket is the DM's alone. A socket that came
 * through a campaign (`?campaign=`) must be allowed in that campaign; one that
 * came by DM (`?dm=`) in at least one of the DM's campaigns.
 */
export function admitTable(state: TableState, info: ConnectInfo): Rejection | null {
  const { actor } = info;
  if (isDmUser(state.dm_user_id, actor)) return null;
  if (routeOf(actor) === ROLE.dm) return reject("NOT_CAMPAIGN_DM", "Only the campaign's DM may open the DM socket", 403);
  if (actor.service) return null;
  const via = campaignOf(actor);
  if (via !== null) {
    const c = own(state.campaigns, via);
    if (!c) return CampaignErrors.unknown(via);
    return follows(state, c, actor) ? null : reject("NOT_INVITED", "You are not a player in this campaign", 403);
  }
  return Object.values(state.campaigns).some((c) => follows(state, c, actor)) ? null : reject("NOT_INVITED", "You are not a player in any of this DM's campaigns", 403);
}

