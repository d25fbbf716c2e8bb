import { z } from "zod";
import type { RoomLimits } from "../core/kind.ts";

/** Defaults for every room; a kind overrides what it must (Kind.limits), a room's config may narrow further. */
export const DEFAULT_LIMITS: RoomLimits = {
  maxFrameBytes: 64 * 1024,
  rateBurst: 30,
  ratePerSec: 10,
  strikesBeforeClose: 5,
  maxConnections: 10_000,
  maxSocketsPerUser: 8,
  socketsPerObject: null,
  // Listening is not idling: no silent-client timeout unless a system asks for one (seed 004).
  idleTimeoutMs: null,
  maxConnectionAgeMs: null,
  // Flow control for slow readers ([F2], [F3]; docs/protocol.md "Flow control"): per socket.
  maxUnackedBytes: 4 * 1024 * 1024,
  maxUnackedFrames: 20_000,
  maxSilentBytes: 8 * 1024 * 1024,
  silentWindowMs: 60_000,
  logMaxEntries: 1_000,
  logMaxAgeMs: 24 * 60 * 60 * 1000,
};

/** Idempotency keys and command ids are kept 24 h (PROTOCOLS.md §1). */
export const DEDUP_TTL_MS = 24 * 60 * 60 * 1000;

/** The log is trimmed to its retention every this many commits, whatever the traffic (HTTP-only rooms too). */
export const TRIM_EVERY_SEQS = 64;

/** Most sockets one object holds for a room (the runtime's ceiling is 32,768 hibernatable sockets). */
export const MAX_OBJECT_CONNECTIONS = 32_000;
/**
 * Most sockets a room spread over gateways ([S5]) may hold in all: the room keeps an entry per
 * remote socket (about 300 bytes with its index), so 250,000 is about 75 MB of its 128 MB.
 */
export const MAX_SPREAD_CONNECTIONS = 250_000;

/**
 * What a room's creation config may set under `limits`: bounded so no room can exceed the defaults' ceilings.
 * `maxConnections` past one object's share needs `socketsPerObject` beside it (gateways hold the rest).
 */
export const roomLimitsOverride = z
  .object({
    maxFrameBytes: z.number().int().min(256).max(1024 * 1024),
    rateBurst: z.number().int().min(1).max(10_000),
    ratePerSec: z.number().min(0.1).max(10_000),
    strikesBeforeClose: z.number().int().min(1).max(100),
    maxConnections: z.number().int().min(1).max(MAX_SPREAD_CONNECTIONS),
    maxSocketsPerUser: z.number().int().min(1).max(100),
    socketsPerObject: z.number().int().min(2).max(MAX_OBJECT_CONNECTIONS).nullable(),
    idleTimeoutMs: z.number().int().min(100).max(3_600_000).nullable(),
    maxConnectionAgeMs: z.number().int().min(100).max(7 * 24 * 3_600_000).nullable(),
    maxUnackedBytes: z.number().int().min(1024).max(64 * 1024 * 1024).nullable(),
    maxUnackedFrames: z.number().int().min(10).max(1_000_000).nullable(),
    maxSilentBytes: z.number().int().min(1024).max(64 * 1024 * 1024).nullable(),
    silentWindowMs: z.number().int().min(100).max(3_600_000),
    logMaxEntries: z.number().int().min(1).max(100_000),
    logMaxAgeMs: z.number().int().min(1).max(30 * 24 * 3_600_000),
  })
  .partial()
  .strict()
  .refine((l) => (l.maxConnections ?? 0) <= MAX_OBJECT_CONNECTIONS || (l.socketsPerObject ?? null) !== null, {
    path: ["maxConnections"],
    message: `above ${MAX_OBJECT_CONNECTIONS} needs socketsPerObject in the same limits (gateway objects hold the sockets past one object)`,
  });

/** A room's creation config may say `socketsPerObject` at its top level too (`{"socketsPerObject": 50}`, [S5]). */
export const topLevelSpread = z.object({ socketsPerObject: z.number().int().min(2).max(32_000) }).partial();

export function resolveLimits(kind?: Partial<RoomLimits>, config?: Record<string, unknown>): RoomLimits {
  const room = roomLimitsOverride.safeParse(config?.limits ?? {});
  const spread = topLevelSpread.safeParse(config ?? {});
  return { ...DEFAULT_LIMITS, ...kind, ...(spread.success ? spread.data : {}), ...(room.success ? room.data : {}) };
}
