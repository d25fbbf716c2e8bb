import type { RoomLimits } from "../kinds/kind.ts";

/** Defaults for every room; a kind overrides what it must (Kind.limits). */
export const DEFAULT_LIMITS: RoomLimits = {
  maxFrameBytes: 64 * 1024,
  rateBurst: 30,
  ratePerSec: 10,
  strikesBeforeClose: 5,
  maxConnections: 10_000,
  maxSocketsPerUser: 8,
  idleTimeoutMs: 60_000,
  logMaxEntries: 1_000,
  logMaxAgeMs: 24 * 60 * 60 * 1000,
};

/** Idempotency keys and command ids are kept 24 h (PROTOCOLS.md §1). */
export const DEDUP_TTL_MS = 24 * 60 * 60 * 1000;

export const resolveLimits = (overrides?: Partial<RoomLimits>): RoomLimits => ({ ...DEFAULT_LIMITS, ...overrides });
