import type { Actor } from "../../core/kind.ts";
import { isDmUser } from "./roles.ts";
import type { CampaignState, OnlinePlayer } from "./state.ts";

export interface CampaignView {
  campaign_id: string;
  dm_user_id: string;
  active: boolean;
  structured_data: Record<string, unknown> | null;
  changed_at: string | null;
  created_at: string;
  online: { dm: boolean; players: OnlinePlayer[] };
  /** The invite list: the DM's and services' business only. */
  players?: string[] | null;
}

/** What a snapshot frame and `GET /api/campaigns/:id` show a viewer. */
export function view(state: CampaignState, viewer: Actor): CampaignView {
  return {
    campaign_id: state.campaign_id,
    dm_user_id: state.dm_user_id,
    active: state.active,
    structured_data: state.structured_data,
    changed_at: state.changed_at,
    created_at: state.created_at,
    online: { dm: state.dm_online, players: state.players_online },
    ...(viewer.service || isDmUser(state.dm_user_id, viewer) ? { players: state.invited } : {}),
  };
}
