import { z } from "zod";

/** Seed 003: connections expire after one hour. */
export const SEED_TTL_MS = 60 * 60 * 1000;
/** Sockets per object by default: well below the runtime's 32,768 hibernatable sockets per object. */
export const DEFAULT_SHARD_SIZE = 5_000;
/** Most objects (the feed's own and its gateways) one feed's subscribers may spread over. */
export const MAX_OBJECTS = 256;
/** Most subscribers of one feed: what one room spread over gateways may hold (room/limits.ts MAX_SPREAD_CONNECTIONS; a test checks they agree). */
export const MAX_SUBSCRIBERS = 250_000;

/**
 * A feed's settings, chosen when it is created (`POST /api/feeds`, or defaults on first use).
 * `shardSize` is how many sockets each object holds: the root's `socketsPerObject`.
 */
export const feedConfig = z
  .object({
    feed: z.string().min(1).max(64),
    // At least 2: a gateway of one socket would cost an object per subscriber.
    shardSize: z.number().int().min(2).max(32_000).default(DEFAULT_SHARD_SIZE),
    connectionTtlMs: z.number().int().min(100).max(7 * 24 * 3_600_000).default(SEED_TTL_MS),
    /** Events kept for resumes (the core's logMaxEntries). */
    retainEvents: z.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();
export type FeedConfig = z.infer<typeof feedConfig>;

/** What an admin may choose in `POST /api/feeds` (the rest is Hearth's). */
export const feedSettings = feedConfig.omit({ feed: true }).partial().strict();
export type FeedSettings = z.infer<typeof feedSettings>;

/**
 * The room limits a feed runs with: `shardSize` sockets per object (gateways past the root's
 * share), subscribers up to MAX_OBJECTS objects' worth within MAX_SUBSCRIBERS, the TTL, and
 * its retention.
 */
export const feedLimits = (c: Pick<FeedConfig, "shardSize" | "connectionTtlMs" | "retainEvents">) => ({
  socketsPerObject: c.shardSize,
  maxConnections: Math.min(c.shardSize * MAX_OBJECTS, MAX_SUBSCRIBERS),
  maxConnectionAgeMs: c.connectionTtlMs,
  logMaxEntries: c.retainEvents,
});
