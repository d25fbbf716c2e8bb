import { applied, reject, type Kind } from "../../core/kind.ts";
import { campaignConfig } from "./schema.ts";
import { initRecord, type CampaignRecord } from "./state.ts";
import { TABLE_PREFIX } from "./tableName.ts";
import { savedMessage } from "./tableSchema.ts";
import { recordView } from "./view.ts";

/**
 * A campaign's record (`campaign:<id>`): created by `POST /api/campaigns` (409
 * when the id is taken), it says whose the campaign is and whom it invites.
 * It holds no sockets and takes no commands: those are the DM's table's
 * (tableKind.ts), where a campaign's players follow their DM. It keeps the
 * campaign's data while inactive: the table saves it here when it
 * deactivates the campaign (outbox, in order, once), so a table holds only
 * its active campaign's data.
 */
export const campaignKind: Kind<CampaignRecord, { type: string }> = {
  name: "campaign",
  config: campaignConfig,
  init: initRecord,
  view: recordView,
  receive(state, message) {
    // Only a DM's table saves data; the worker registers a campaign only with its own DM's table.
    if (!message.from.startsWith(TABLE_PREFIX)) return reject("NOT_A_TABLE", `${message.from} is not a DM's table.`, 403);
    const parsed = savedMessage.safeParse(message.body);
    if (!parsed.success) return reject("BAD_MESSAGE", "The table's message is not valid.", 400);
    const { saves, structured_data } = parsed.data;
    if (saves <= (state.saves ?? 0)) return applied(state);
    return applied({ ...state, structured_data, saves });
  },
};

export type { CampaignRecord } from "./state.ts";
