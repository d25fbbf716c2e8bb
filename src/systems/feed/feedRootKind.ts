import { z } from "zod";
import { applied, reject, type Effect, type CommandKind } from "../../core/kind.ts";
import { SCOPES } from "../../core/scopes.ts";
import { feedConfig, type FeedConfig } from "./feedConfig.ts";
import { shardName } from "./names.ts";
import { publishBody } from "./publishSchema.ts";
import { shardSpec } from "./shardSpec.ts";

/** Most shards one feed may grow to: 100,000 subscribers at the default size need 20. */
export const MAX_SHARDS = 256;

/**
 * The root of a feed (`feed:<name>`). It holds no sockets: it commits each
 * publish once, assigning the seq (its own counter, logged at exactly that seq
 * so the log and the counter never disagree), and hands the event to every
 * shard through the outbox (stored with the commit, retried until
 * acknowledged, applied once). It also owns the list of shards and the root
 * head each one started at.
 */
export interface FeedRootState {
  /** Seq of the last published event. */
  seq: number;
  /** Shard k exists from root seq `from` on (it gets every event after it). */
  shards: { from: number }[];
}

export const feedRootCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("publish"), event: publishBody }),
  /**
   * The worker found shards 0..seen-1 full: add `add` (default 1, capped at MAX_SHARDS) unless
   * someone already grew the feed past `seen` (compare-and-set on the count: a crowd arriving
   * together grows it once per count, by the first asker's `add`).
   */
  z.object({ type: z.literal("grow"), seen: z.number().int().min(0).max(MAX_SHARDS), add: z.number().int().min(1).max(MAX_SHARDS).optional() }),
]);
export type FeedRootCommand = z.infer<typeof feedRootCommand>;

/** A root's message to its shards: the encoded body is mirrored at `seq`. */
export interface ShardDelivery {
  type: "event";
  seq: number;
  frame: { type: string; tournamentId: string; data: Record<string, unknown>; timestamp: string };
  /** When the root committed it (ms): shards measure publish-to-delivery latency from here. */
  publishedAt: number;
}

export interface FeedRootView {
  feed: string;
  head: number;
  shards: { shard: number; from: number }[];
  /** The worker creates shards from it (shardSpec) exactly as the root's messages would. */
  config: FeedConfig;
}

export const feedRootKind: CommandKind<FeedRootState, FeedRootCommand> = {
  name: "feed",
  command: feedRootCommand,
  // Decided once by the pipeline's authorize stage, never in the rules below.
  authorize: {
    publish: { anyOf: [SCOPES.publish], message: `Publishing needs a token with scope ${SCOPES.publish}.` },
    grow: { anyOf: [SCOPES.admin], code: "FORBIDDEN", message: "Only Hearth places subscribers." },
  },
  config: feedConfig,
  init: () => ({ seq: 0, shards: [] }),
  // No `sockets`: subscribers connect to shards, never here.

  apply(state, command, ctx) {
    const config = ctx.config as FeedConfig;
    switch (command.type) {
      case "publish": {
        const seq = state.seq + 1;
        const frame = { ...command.event, timestamp: new Date(ctx.now).toISOString() };
        const delivery: ShardDelivery = { type: "event", seq, frame, publishedAt: ctx.now };
        const effects: Effect[] = state.shards.map((s, k) => ({ to: shardName(config.feed, k), body: { ...delivery }, create: shardSpec(config, k, s.from) }));
        // Logged at the next seq, which is `seq`: the root's log and its counter move together.
        return applied({ ...state, seq }, [{ body: frame }], { effects, result: { shards: state.shards.length } });
      }
      case "grow": {
        if (command.seen !== state.shards.length) return applied(state, [], { result: { shards: state.shards.length } });
        if (state.shards.length >= MAX_SHARDS) return reject("FEED_FULL", `This feed has its ${MAX_SHARDS} shards, all full.`, 503);
        const added = Math.min(command.add ?? 1, MAX_SHARDS - state.shards.length);
        const shards = [...state.shards, ...Array.from({ length: added }, () => ({ from: state.seq }))];
        return applied({ ...state, shards }, [], { result: { shards: shards.length } });
      }
    }
  },

  view: (state, _viewer, ctx): FeedRootView => {
    const config = ctx.config as FeedConfig;
    return { feed: config.feed, head: state.seq, shards: state.shards.map((s, k) => ({ shard: k, from: s.from })), config };
  },
};
