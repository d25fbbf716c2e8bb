import { z } from "zod";

/** Seed 003: connections expire after one hour. */
export const SEED_TTL_MS = 60 * 60 * 1000;
/** Sockets per shard by default: well below the runtime's 32,768 hibernatable sockets per object. */
export const DEFAULT_SHARD_SIZE = 5_000;

/**
 * A feed's settings, chosen when its root is created (`POST /api/feeds`, or defaults on first use)
 * and copied into every shard's creation spec. `epoch` is the root's own: kinds don't see their
 * room's epoch, and every shard must share it so cursors are valid on any shard.
 */
export const feedConfig = z
  .object({
    feed: z.string().min(1).max(64),
    epoch: z.string().min(1).max(64),
    shardSize: z.number().int().min(1).max(32_000).default(DEFAULT_SHARD_SIZE),
    connectionTtlMs: z.number().int().min(100).max(7 * 24 * 3_600_000).default(SEED_TTL_MS),
    /** Events each shard keeps for resumes (the core's logMaxEntries). */
    retainEvents: z.number().int().min(1).max(100_000).default(1_000),
  })
  .strict();
export type FeedConfig = z.infer<typeof feedConfig>;

/** What an admin may choose in `POST /api/feeds` (the rest is Hearth's). */
export const feedSettings = feedConfig.omit({ feed: true, epoch: true }).partial().strict();
export type FeedSettings = z.infer<typeof feedSettings>;

/** The room limits a shard runs with: its size, the seed's TTL, and its retention. */
export const shardLimits = (c: FeedConfig) => ({
  maxConnections: c.shardSize,
  maxConnectionAgeMs: c.connectionTtlMs,
  logMaxEntries: c.retainEvents,
});
