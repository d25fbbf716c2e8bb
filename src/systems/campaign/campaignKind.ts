import type { Kind } from "../../core/kind.ts";
import { campaignConfig } from "./schema.ts";
import { initRecord, type CampaignRecord } from "./state.ts";
import { recordView } from "./view.ts";

/**
 * A campaign's record (`campaign:<id>`): created by `POST /api/campaigns` (409
 * when the id is taken), it says whose the campaign is and whom it invites.
 * It holds no sockets and takes no commands: those are the DM's table's
 * (tableKind.ts), where a campaign's players follow their DM.
 */
export const campaignKind: Kind<CampaignRecord, { type: string }> = {
  name: "campaign",
  config: campaignConfig,
  init: initRecord,
  view: recordView,
};

export type { CampaignRecord } from "./state.ts";
