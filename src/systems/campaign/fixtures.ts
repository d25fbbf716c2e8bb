import type { Actor, ApplyResult, KindCtx } from "../../core/kind.ts";
import { testCtx } from "../../core/testCtx.ts";
import { ROLE, roleVia } from "./roles.ts";
import { initTable, type TableState } from "./state.ts";

/** Shared by the campaign kinds' unit tests. */
export const NOW = Date.UTC(2025, 0, 15, 10, 30);
export const NOW_ISO = "2025-01-15T10:30:00.000Z";

/** Callers as the routes make them: each came through campaign `camp-1` (`dm:camp-1`, ...). */
const person = (userId: string, name: string, role: string): Actor => ({ userId, name, role: roleVia(role, "camp-1"), service: false, scopes: [] });
export const dmSocket = person("dm-1", "Dana", ROLE.dm);
export const dmHttp = person("dm-1", "Dana", ROLE.api);
export const dmAsPlayer = person("dm-1", "Dana", ROLE.player);
export const alice = person("alice", "Alice", ROLE.player);
export const mallory = person("mallory", "Mallory", ROLE.api);
export const service: Actor = { userId: "gaia-api", name: "gaia-api", role: roleVia(ROLE.api, "camp-1"), service: true, scopes: ["events:publish"] };
/** Anyone by any role, as given (`player` is a socket opened with `?dm=`). */
export const as = (userId: string, role: string): Actor => ({ userId, name: userId, role, service: false, scopes: [] });

export const ctx = (actor: Actor, overrides: Partial<KindCtx> = {}) => testCtx({ actor, now: NOW, roomId: "dm-1", ...overrides });

/** DM `dm-1`'s table with one campaign, `camp-1` (invite-only when `players` is given). */
export function newTable(players?: string[]): TableState {
  return initTable({ dm_user_id: "dm-1", campaigns: [{ campaign_id: "camp-1", created_at: NOW_ISO, ...(players ? { players } : {}) }] });
}

export function ok<S>(r: ApplyResult<S>) {
  if (!r.ok) throw new Error(`expected success, got ${r.code}: ${r.message}`);
  return r;
}
