import type { ConnectInfo, KindCtx } from "../../core/kind.ts";
import { isoTimestamp, type CampaignState } from "./state.ts";

/**
 * Right after Hearth's catch-up: while the campaign is active, the seed's
 * `campaign_active` with the latest data (the frame the seed's PlayerPage
 * starts from); while inactive, nothing.
 */
export function welcome(state: CampaignState, _info: ConnectInfo, _recent: readonly Record<string, unknown>[], ctx: KindCtx): Record<string, unknown>[] {
  if (!state.active) return [];
  return [{ type: "campaign_active", campaign_id: state.campaign_id, structured_data: state.structured_data, timestamp: isoTimestamp(ctx.now) }];
}
