/** Campaign sync, DM -> players (`/ws/campaign/player|dm`, seed 001, src/systems/campaign). Types only. */
import type { IsoTime, Sequenced } from "./common.js";

/** Loose by design (the server validates it as a loose object): these are the seed's fields. */
export interface StructuredData {
  narrative?: unknown;
  all_narratives?: unknown;
  turn?: unknown;
  status?: unknown;
  characters?: unknown;
  turn_info?: unknown;
  environmental_conditions?: unknown;
  immediate_threats?: unknown;
  story_progression?: unknown;
  [field: string]: unknown;
}

/**
 * Client -> server (campaign `campaignCommand`). The `campaign_*` frames and `switch` are DM-only;
 * without `campaign_id` they apply to the socket's campaign, else to the DM's active one.
 */
export type CampaignClientFrame =
  | { type: "campaign_loaded" | "campaign_updated"; structured_data: StructuredData; campaign_id?: string; id?: string }
  | { type: "campaign_deactivated"; campaign_id?: string; id?: string }
  | { type: "switch"; campaign_id: string; structured_data?: StructuredData; id?: string }
  | { type: "player_status"; status: "typing" | "ready" | "away"; id?: string }
  | { type: "heartbeat" };

/** Server -> client. */
export type CampaignServerFrame =
  | ({ type: "campaign_active" | "campaign_loaded" | "campaign_updated"; campaign_id: string; structured_data: StructuredData; timestamp: IsoTime } & Sequenced)
  | ({ type: "campaign_deactivated"; campaign_id: string; timestamp: IsoTime } & Sequenced)
  | { type: "player_joined" | "player_left"; user_id: string; username: string; timestamp: IsoTime }
  | { type: "heartbeat"; timestamp: IsoTime }
  | { type: "error"; code?: string; message: string; id?: string };
