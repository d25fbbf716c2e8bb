import type { ConnectInfo, KindCtx } from "../../core/kind.ts";
import { follows } from "./rules.ts";
import { isoTimestamp, own, type TableState } from "./state.ts";

/** Right after Hearth's catch-up, while a campaign this socket may follow is active: the seed's `campaign_active`. */
export function welcomeTable(state: TableState, info: ConnectInfo, _recent: readonly Record<string, unknown>[], ctx: KindCtx): Record<string, unknown>[] {
  const c = state.active === null ? undefined : own(state.campaigns, state.active);
  if (!c || !follows(state, c, info.actor)) return [];
  return [{ type: "campaign_active", campaign_id: state.active, structured_data: c.structured_data, timestamp: isoTimestamp(ctx.now) }];
}

