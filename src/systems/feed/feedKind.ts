import { z } from "zod";
import { applied, type CommandKind } from "../../core/kind.ts";
import { SCOPES } from "../../core/scopes.ts";
import { feedConfig, type FeedConfig, SEED_TTL_MS } from "./feedConfig.ts";
import { publishBody } from "./publishSchema.ts";

/**
 * A feed (`feed:<name>`): one room that holds every subscriber, its own
 * object's share and the rest on gateway objects past `shardSize`
 * (`socketsPerObject`, docs/architecture.md "Rooms past one object"). A
 * publish commits once here, logged at the next seq, and the core fans it out
 * to every socket wherever it lives (one push per gateway). Subscribers only
 * listen and talk in seed 003's two ways (ping, anything else); nothing they
 * send is stored.
 */
export interface FeedState {
  /** Seq of the last published event (the only thing this room logs, so it is the head). */
  seq: number;
}

export const feedCommand = z.discriminatedUnion("type", [
  z.object({ type: z.literal("publish"), event: publishBody }),
  // What a subscriber's frames decode to (feedCodec): seed 003's ping, and anything else.
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("message") }),
]);
export type FeedCommand = z.infer<typeof feedCommand>;

/** What a subscriber's snapshot carries (and `GET /api/feed` reads). */
export interface FeedView {
  feed: string;
  head: number;
  /** Distinct users online, over every object (a user with two tabs counts once). */
  subscribers: number;
}

export const feedKind: CommandKind<FeedState, FeedCommand> = {
  name: "feed",
  command: feedCommand,
  // Decided once by the pipeline's authorize stage, never in the rules below. A socket can't
  // publish: its frames decode only to ping and message.
  authorize: {
    publish: { anyOf: [SCOPES.publish], message: `Publishing needs a token with scope ${SCOPES.publish}.` },
  },
  config: feedConfig,
  init: () => ({ seq: 0 }),
  // A subscriber only listens: no idle timeout (listening is not idling); seed 003's 1-hour TTL,
  // narrowed by the feed's own `connectionTtlMs` (its config's limits, feedConfig.feedLimits).
  limits: { idleTimeoutMs: null, maxConnectionAgeMs: SEED_TTL_MS },
  // No hooks: a presence join must not take a seq (the seqs are the events').
  sockets: {},

  apply(state, command, ctx) {
    switch (command.type) {
      case "publish": {
        // The timestamp is set once, here: every subscriber gets the same text.
        const frame = { ...command.event, timestamp: new Date(ctx.now).toISOString() };
        // Logged at the next seq, which is `seq`: the log and the counter move together.
        return applied({ seq: state.seq + 1 }, [{ body: frame }]);
      }
      // Seed 003: ping gets a pong, anything else an ack. Replies only: nothing is stored.
      case "ping":
        return applied(state, [], { replies: [{ type: "pong", timestamp: new Date(ctx.now).toISOString() }] });
      case "message":
        return applied(state, [], { replies: [{ type: "ack", message: "Message received" }] });
    }
  },

  view: (state, _viewer, ctx): FeedView => ({ feed: (ctx.config as FeedConfig).feed, head: state.seq, subscribers: ctx.online.length }),
};
