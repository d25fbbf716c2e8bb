import { objectIdOf } from "../../core/objectName.ts";
import { defineSystem } from "../../core/system.ts";
import { feedCodec } from "./feedCodec.ts";
import { feedRootKind } from "./feedRootKind.ts";
import { feedShardKind } from "./feedShardKind.ts";
import { feedRoutes } from "./edge/routes.ts";

/** Seed 003's workflow event feed, root: takes publishes and assigns seqs. Owns the routes. */
export const feedSystem = defineSystem({
  name: "feed",
  kind: feedRootKind,
  codec: feedCodec(),
  routes: feedRoutes,
  // The root's room id is its object name, feed:<feed>; the feed's own summary route takes the feed name.
  href: (id) => `/api/feed?feed=${encodeURIComponent(objectIdOf("feed", id))}`,
  description: "Workflow event feed (seed 003): one publish reaches every subscriber, spread over shard objects, with the same seqs everywhere.",
});

/** The feed's shards: hold subscriber sockets and mirror the root's seqs. No routes of their own. */
export const feedShardSystem = defineSystem({
  name: "feed-shard",
  kind: feedShardKind,
  codec: feedCodec(),
  description: "A shard of a workflow event feed: up to shardSize subscribers, the root's events at the root's seqs.",
});
