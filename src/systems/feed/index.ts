import { objectIdOf } from "../../core/objectName.ts";
import { defineSystem } from "../../core/system.ts";
import { feedCodec } from "./feedCodec.ts";
import { feedKind } from "./feedKind.ts";
import { feedRoutes } from "./edge/routes.ts";

/** Seed 003's workflow event feed: one room per feed, its subscribers over gateway objects past `shardSize`. */
export const feedSystem = defineSystem({
  name: "feed",
  kind: feedKind,
  codec: feedCodec(),
  routes: feedRoutes,
  // The room id is its object name, feed:<feed>; the feed's own summary route takes the feed name.
  href: (id) => `/api/feed?feed=${encodeURIComponent(objectIdOf("feed", id))}`,
  description: "Workflow event feed (seed 003): one publish reaches every subscriber, whichever object holds its socket, with one seq.",
});
