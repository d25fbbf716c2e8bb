import { campaignConfig, type StructuredData } from "./schema.ts";
import { tableConfig } from "./tableSchema.ts";

export interface OnlinePlayer {
  user_id: string;
  username: string;
  connected_at: string;
}

export const isoTimestamp = (now: number) => new Date(now).toISOString();

/** An own key of a record (a campaign may be called `__proto__`). */
export const own = <T>(rec: Record<string, T>, key: string): T | undefined => (Object.hasOwn(rec, key) ? rec[key] : undefined);

/**
 * A campaign's record (`campaign:<id>`): whose it is and whom it invites, as created, and the
 * campaign's data while it is not active (its table saves it here when it deactivates it).
 */
export interface CampaignRecord {
  campaign_id: string;
  dm_user_id: string;
  /** Who may connect as a player besides the DM; null lets any signed-in user in. */
  invited: string[] | null;
  created_at: string;
  /** The data as last saved by the table (or as a room from before the table left it). */
  structured_data: StructuredData | null;
  /** How many saves this record applied (absent in rooms from before the table: 0). */
  saves?: number;
}

/** A record from its creation config. A config that fails to parse yields a record without a DM. */
export function initRecord(raw: Readonly<Record<string, unknown>>, ctx: { now: number; roomId: string }): CampaignRecord {
  const parsed = campaignConfig.safeParse(raw);
  const config = parsed.success ? parsed.data : { campaign_id: ctx.roomId, dm_user_id: "", players: undefined, created_at: undefined };
  return {
    campaign_id: config.campaign_id,
    dm_user_id: config.dm_user_id,
    invited: config.players ? [...new Set(config.players)] : null,
    created_at: config.created_at ?? isoTimestamp(ctx.now),
    structured_data: null,
    saves: 0,
  };
}

/** One of the DM's campaigns as the table keeps it. */
export interface TableCampaign {
  /** Who may follow it besides the DM; null lets any signed-in user in. */
  invited: string[] | null;
  created_at: string;
  /**
   * The data while the campaign is active; null otherwise. On deactivation the table saves it to
   * the campaign's record (an outbox message) and drops it here, so the table's state holds one
   * campaign's data, however many campaigns the DM has.
   */
  structured_data: StructuredData | null;
  /** Saves sent to the record so far: a switch back reuses the record's data only if it has them all. */
  saves: number;
  changed_at: string | null;
}

export interface TableState {
  dm_user_id: string;
  campaigns: Record<string, TableCampaign>;
  /** The one active campaign of this DM, or null. */
  active: string | null;
  /** What a snapshot shows: the active campaign, else the one last active, else the newest. */
  current: string | null;
  players_online: OnlinePlayer[];
  dm_online: boolean;
}

/** Adds a campaign the table did not know (a known one is left as it is). */
export function registerCampaign(state: TableState, r: { campaign_id: string; players?: readonly string[] | undefined; created_at: string }): TableState {
  if (own(state.campaigns, r.campaign_id)) return state;
  const entry: TableCampaign = { invited: r.players ? [...new Set(r.players)] : null, created_at: r.created_at, structured_data: null, changed_at: null, saves: 0 };
  return { ...state, campaigns: { ...state.campaigns, [r.campaign_id]: entry }, current: state.active ?? r.campaign_id };
}

/** A fresh table: its DM and the campaign whose creation made it; nothing active, nobody online. */
export function initTable(raw: Readonly<Record<string, unknown>>): TableState {
  const parsed = tableConfig.safeParse(raw);
  const config = parsed.success ? parsed.data : { dm_user_id: "", campaigns: [] };
  const empty: TableState = { dm_user_id: config.dm_user_id, campaigns: {}, active: null, current: null, players_online: [], dm_online: false };
  return (config.campaigns ?? []).reduce(registerCampaign, empty);
}
