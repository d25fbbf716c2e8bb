import { z } from "zod";
import { CAMPAIGN_ID, PLAYER_STATUSES, structuredData, userId } from "./schema.ts";

/**
 * What a DM's table takes (tableKind.ts): seed 001's DM frames, each of which
 * may name the campaign it is for (without `campaign_id`: the campaign the
 * sender came through, else the active one), the player's frames, and two of
 * Hearth's own: `switch` (what `POST /api/dms/:dm/active` sends) and
 * `register` (the worker adding a campaign the DM created; rooms:admin only).
 */
const campaignId = z.string().regex(CAMPAIGN_ID);
const target = { campaign_id: campaignId.optional() };

export const tableCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("campaign_loaded"), structured_data: structuredData, ...target }),
  z.object({ type: z.literal("campaign_updated"), structured_data: structuredData, ...target }),
  z.object({ type: z.literal("campaign_deactivated"), ...target }),
  z.object({
    type: z.literal("switch"),
    campaign_id: campaignId,
    structured_data: structuredData.optional(),
    /** What the worker read from the campaign's record, for a switch without data: used only if it holds every save. */
    stored: z.object({ saves: z.number().int().min(0), structured_data: structuredData.nullable() }).optional(),
  }),
  z.object({ type: z.literal("player_status"), status: z.enum(PLAYER_STATUSES) }),
  z.object({ type: z.literal("heartbeat") }),
  z.object({ type: z.literal("register"), campaign_id: campaignId, players: z.array(userId).max(500).optional(), created_at: z.iso.datetime() }),
]);
export type TableCommand = z.output<typeof tableCommand>;

/** One campaign as its creation registered it with the table. */
export const registeredCampaign = z.object({
  campaign_id: campaignId,
  players: z.array(userId).max(500).optional(),
  created_at: z.iso.datetime(),
});

/** The table's creation config: its DM, and the campaign whose creation made the table. */
export const tableConfig = z.object({
  dm_user_id: userId,
  campaigns: z.array(registeredCampaign).max(1).optional(),
});
export type TableConfig = z.output<typeof tableConfig>;

/** Table -> record (outbox): the data of a campaign the table just deactivated, the record's `saves`-th save. */
export const savedMessage = z.object({ op: z.literal("saved"), saves: z.number().int().min(1), structured_data: structuredData });
