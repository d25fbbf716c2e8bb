import { campaignConfig, type StructuredData } from "./schema.ts";

export interface OnlinePlayer {
  user_id: string;
  username: string;
  connected_at: string;
}

export interface CampaignState {
  campaign_id: string;
  dm_user_id: string;
  /** Who may connect as a player besides the DM; null lets any signed-in user in. */
  invited: string[] | null;
  created_at: string;
  active: boolean;
  /** The latest data; kept after deactivation so a later load may reuse it. */
  structured_data: StructuredData | null;
  /** When the data or `active` last changed (ISO-8601). */
  changed_at: string | null;
  /** Players online now (not the DM), one entry per user, in join order. */
  players_online: OnlinePlayer[];
  dm_online: boolean;
}

export const isoTimestamp = (now: number) => new Date(now).toISOString();

/** A fresh campaign: inactive, nobody online. A config that fails to parse yields a room without a DM. */
export function initCampaignState(raw: Readonly<Record<string, unknown>>, ctx: { now: number; roomId: string }): CampaignState {
  const parsed = campaignConfig.safeParse(raw);
  const config = parsed.success ? parsed.data : { campaign_id: ctx.roomId, dm_user_id: "", players: undefined, created_at: undefined };
  return {
    campaign_id: config.campaign_id,
    dm_user_id: config.dm_user_id,
    invited: config.players ? [...new Set(config.players)] : null,
    created_at: config.created_at ?? isoTimestamp(ctx.now),
    active: false,
    structured_data: null,
    changed_at: null,
    players_online: [],
    dm_online: false,
  };
}
