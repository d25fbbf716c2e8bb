import type { CreateSpec } from "../../core/kind.ts";
import { shardLimits, type FeedConfig } from "./feedConfig.ts";

export const SHARD_KIND = "feed-shard";

/**
 * How shard `k` comes into being, the same wherever it is created (the root's first message to it,
 * or the worker placing the first subscriber there): the root's epoch, and a log that starts at the
 * root's head when the shard was added (`from`), so its snapshots never claim events it never had.
 */
export function shardSpec(config: FeedConfig, k: number, from: number): CreateSpec & { config: Record<string, unknown> } {
  return {
    kind: SHARD_KIND,
    config: { feed: config.feed, shard: k, limits: shardLimits(config) },
    mirror: { epoch: config.epoch, ...(from > 0 ? { head: from } : {}) },
  };
}
