import type { Actor } from "../../core/kind.ts";
import { campaignOf, isDmUser, ROLE, routeOf } from "./roles.ts";
import { follows } from "./rules.ts";
import type { StructuredData } from "./schema.ts";
import { own, type CampaignRecord, type OnlinePlayer, type TableState } from "./state.ts";

/** What the worker reads of a campaign's record (`campaign:<id>`): whose it is, whom it invites. */
export interface CampaignView {
  campaign_id: string;
  dm_user_id: string;
  created_at: string;
  /** The invite list: the DM's and services' business only. */
  players?: string[] | null;
  /** The campaign's data while inactive, as its table last saved it, and how many saves that took. */
  structured_data: StructuredData | null;
  saves: number;
}

export function recordView(state: CampaignRecord, viewer: Actor): CampaignView {
  return {
    campaign_id: state.campaign_id,
    dm_user_id: state.dm_user_id,
    created_at: state.created_at,
    ...(viewer.service || isDmUser(state.dm_user_id, viewer) ? { players: state.invited } : {}),
    structured_data: state.structured_data ?? null,
    saves: state.saves ?? 0,
  };
}

export interface TableView {
  campaign_id: string | null;
  dm_user_id: string;
  active: boolean;
  /** The DM's active campaign (null: none), whichever campaign this view shows. */
  active_campaign_id: string | null;
  structured_data: StructuredData | null;
  changed_at: string | null;
  created_at: string | null;
  online: { dm: boolean; players: OnlinePlayer[] };
  /** The invite list: the DM's and services' business only. */
  players?: string[] | null;
  /**
   * Only for an HTTP reader of an inactive campaign, whose data is in its record: the saves the
   * record must have applied for its data to be the latest (the route reads it there, then drops this).
   */
  saves?: number;
}

/**
 * What a snapshot frame and `GET /api/campaigns/:id` show. An HTTP reader of
 * one campaign (`api:<id>`) sees that campaign; a socket sees the DM's current
 * one (the active campaign, else the one last active), which it follows.
 */
export function viewTable(state: TableState, viewer: Actor): TableView {
  const asked = routeOf(viewer) === ROLE.api ? campaignOf(viewer) : null;
  const id = asked ?? state.current;
  const c = id === null ? undefined : own(state.campaigns, id);
  const visible = c !== undefined && follows(state, c, viewer);
  return {
    campaign_id: c ? id : null,
    dm_user_id: state.dm_user_id,
    active: c !== undefined && state.active === id,
    active_campaign_id: state.active,
    structured_data: visible ? c.structured_data : null,
    changed_at: c?.changed_at ?? null,
    created_at: c?.created_at ?? null,
    online: { dm: state.dm_online, players: state.players_online },
    ...(c && (viewer.service || isDmUser(state.dm_user_id, viewer)) ? { players: c.invited } : {}),
    ...(asked !== null && c && visible && state.active !== id ? { saves: c.saves } : {}),
  };
}

