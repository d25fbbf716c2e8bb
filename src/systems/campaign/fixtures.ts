import type { Actor, ApplyResult, KindCtx } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { ROLE } from "./roles.ts";
import { initCampaignState, type CampaignState } from "./state.ts";

/** Shared by the campaign kind's unit tests. */
export const NOW = Date.UTC(2025, 0, 15, 10, 30);
export const NOW_ISO = "2025-01-15T10:30:00.000Z";

const person = (userId: string, name: string, role: string): Actor => ({ userId, name, role, service: false, scopes: [] });
export const dmSocket = person("dm-1", "Dana", ROLE.dm);
export const dmHttp = person("dm-1", "Dana", ROLE.api);
export const dmAsPlayer = person("dm-1", "Dana", ROLE.player);
export const alice = person("alice", "Alice", ROLE.player);
export const mallory = person("mallory", "Mallory", ROLE.api);
export const service: Actor = { userId: "gaia-api", name: "gaia-api", role: ROLE.api, service: true, scopes: ["events:publish"] };

export const ctx = (actor: Actor, overrides: Partial<KindCtx> = {}) => testCtx({ actor, now: NOW, roomId: "camp-1", ...overrides });

export function newCampaign(players?: string[]): CampaignState {
  return initCampaignState({ campaign_id: "camp-1", dm_user_id: "dm-1", ...(players ? { players } : {}) }, { now: NOW, roomId: "camp-1" });
}

export function ok<S>(r: ApplyResult<S>) {
  if (!r.ok) throw new Error(`expected success, got ${r.code}: ${r.message}`);
  return r;
}
