import { z } from "zod";

/**
 * Seed 001's wire shapes. `structured_data` carries the fields the seed's
 * PlayerPage reads (`transformStructuredData`), each optional; the seed
 * shows strings for most of them and `null`-able JSON for `all_narratives`
 * and `turn_info`. Unknown top-level keys are kept (passthrough), so a DM
 * tool that sends more than the seed names loses nothing.
 */

/** One frame of this system may be this large; the campaign HTTP routes take bodies this large too. */
export const MAX_FRAME_BYTES = 256 * 1024;

/** Connections per campaign unless the creation request narrows it (`max_connections`). */
export const DEFAULT_MAX_CONNECTIONS = 100;

export const CAMPAIGN_ID = /^[A-Za-z0-9_-]{1,64}$/;

const text = z.string().nullable();
const json = z.json();

export const structuredData = z.looseObject({
  narrative: text.optional(),
  all_narratives: z.union([z.array(json), z.string(), z.null()]).optional(),
  turn: text.optional(),
  status: text.optional(),
  characters: text.optional(),
  turn_info: z.union([z.record(z.string(), json), z.string(), z.null()]).optional(),
  environmental_conditions: text.optional(),
  immediate_threats: text.optional(),
  story_progression: text.optional(),
});
/** Kept as plain JSON: the known fields are checked, the rest pass through untouched. */
export type StructuredData = Record<string, unknown>;

/** Statuses a player may show the DM (the seed's "typing, ready, etc."). */
export const PLAYER_STATUSES = ["typing", "ready", "away"] as const;

const withData = <T extends string>(type: T) => z.object({ type: z.literal(type), structured_data: structuredData });

export const campaignCommand = z.discriminatedUnion("type", [
  withData("campaign_loaded"),
  withData("campaign_updated"),
  z.object({ type: z.literal("campaign_deactivated") }),
  z.object({ type: z.literal("player_status"), status: z.enum(PLAYER_STATUSES) }),
  z.object({ type: z.literal("heartbeat") }),
]);
export type CampaignCommand = z.output<typeof campaignCommand>;

/** DM frames: what the DM socket, the HTTP routes and a service may send; never a player socket. */
export const DM_COMMANDS: ReadonlySet<string> = new Set(["campaign_loaded", "campaign_updated", "campaign_deactivated"]);

/** A user id as the seed's backends send them (numbers too). */
export const userId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);

/** The room's creation config (what `POST /api/campaigns` stores). */
export const campaignConfig = z.object({
  campaign_id: z.string().regex(CAMPAIGN_ID),
  dm_user_id: userId,
  /** Who may connect as a player besides the DM; absent lets any signed-in user in. */
  players: z.array(userId).max(500).optional(),
  created_at: z.iso.datetime().optional(),
});
export type CampaignConfig = z.output<typeof campaignConfig>;
