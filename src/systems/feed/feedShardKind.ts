import { z } from "zod";
import { applied, reject, type CommandKind } from "../../core/kind.ts";
import { rootName } from "./names.ts";

/**
 * One shard of a feed (`feed:<name>:shard:<k>`): it holds up to `shardSize`
 * subscriber sockets and turns each message from its root into a frame logged
 * at the root's seq (a mirror, core/mirror.ts), so every subscriber of every shard sees the
 * same seq for the same event and can resume on any shard. Subscribers talk
 * only in seed 003's two ways (ping, anything else); nothing they send is
 * stored or broadcast. There is no presence hook: a join must not take a seq,
 * or shards' seqs would part from the root's.
 */
export interface FeedShardState {
  /** Events mirrored from the root. */
  events: number;
  lastSeq: number;
  /** The last event's publish time at the root and its arrival here (ms): publish-to-shard latency. */
  lastPublishedAt: number | null;
  lastLatencyMs: number | null;
  maxLatencyMs: number;
}

export interface FeedShardConfig {
  feed: string;
  shard: number;
}

export const feedShardCommand = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") }), z.object({ type: z.literal("message") })]);
export type FeedShardCommand = z.infer<typeof feedShardCommand>;

const delivery = z.object({
  type: z.literal("event"),
  seq: z.number().int().min(1),
  frame: z.object({ type: z.string(), tournamentId: z.string(), data: z.record(z.string(), z.unknown()), timestamp: z.string() }).strict(),
  publishedAt: z.number(),
});

export interface FeedShardView {
  feed: string;
  shard: number;
  events: number;
  lastSeq: number;
  lastLatencyMs: number | null;
  maxLatencyMs: number;
  /** Distinct users online here (a user with two tabs counts once; the room's `sockets` counts both). */
  subscribers: number;
}

export const feedShardKind: CommandKind<FeedShardState, FeedShardCommand> = {
  name: "feed-shard",
  command: feedShardCommand,
  config: z.object({ feed: z.string().min(1).max(64), shard: z.number().int().min(0) }).strict(),
  init: () => ({ events: 0, lastSeq: 0, lastPublishedAt: null, lastLatencyMs: null, maxLatencyMs: 0 }),
  // A subscriber only listens: no idle timeout (listening is not idling); the seed's 1-hour TTL comes from the config's limits.
  limits: { idleTimeoutMs: null, maxConnectionAgeMs: 60 * 60 * 1000 },
  // Subscribers only listen: no hooks (a presence join must not take a seq, or shards' seqs would part from the root's).
  sockets: {},

  apply(state, command, ctx) {
    // Seed 003: ping gets a pong, anything else an ack. Replies only: nothing is stored.
    if (command.type === "ping") return applied(state, [], { replies: [{ type: "pong", timestamp: new Date(ctx.now).toISOString() }] });
    return applied(state, [], { replies: [{ type: "ack", message: "Message received" }] });
  },

  receive(state, message, ctx) {
    const { feed } = ctx.config as unknown as FeedShardConfig;
    // Only this feed's root may put events into it (another object could address it by name).
    if (message.from !== rootName(feed)) return reject("FORBIDDEN", `Only ${rootName(feed)} feeds this shard.`, 403);
    const parsed = delivery.safeParse(message.body);
    if (!parsed.success) return reject("BAD_DELIVERY", "Not a feed event.", 400);
    const { seq, frame, publishedAt } = parsed.data;
    const latency = Math.max(0, ctx.now - publishedAt);
    const next: FeedShardState = { events: state.events + 1, lastSeq: Math.max(seq, state.lastSeq), lastPublishedAt: publishedAt, lastLatencyMs: latency, maxLatencyMs: Math.max(state.maxLatencyMs, latency) };
    return applied(next, [], { mirrored: [{ seq, body: frame }] });
  },

  view: (state, _viewer, ctx): FeedShardView => {
    const { feed, shard } = ctx.config as unknown as FeedShardConfig;
    return { feed, shard, events: state.events, lastSeq: state.lastSeq, lastLatencyMs: state.lastLatencyMs, maxLatencyMs: state.maxLatencyMs, subscribers: ctx.online.length };
  },
};
