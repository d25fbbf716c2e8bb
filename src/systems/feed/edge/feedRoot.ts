import type { Env } from "../../../http/env.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import { feedConfig, feedLimits, type FeedSettings } from "../feedConfig.ts";
import { rootName } from "../names.ts";

/**
 * Creates a feed's room: its settings (defaults filled in) and the room limits they make
 * (feedLimits: `shardSize` sockets per object, the TTL, the retention). ROOM_EXISTS when it is there.
 */
export async function createRoot(env: Env, feed: string, settings: FeedSettings, createdBy: string) {
  const config = feedConfig.parse({ ...settings, feed });
  return roomStub(env, rootName(feed)).create({ roomId: rootName(feed), kind: "feed", config: { ...config, limits: feedLimits(config) }, createdBy });
}

/** Feeds this isolate knows exist: the default feed is created once per isolate at most, not checked per connect. */
const known = new Set<string>();

/** The default feed comes into being with its first subscriber (or publish): one create per isolate, ROOM_EXISTS after. */
export async function ensureFeed(env: Env, feed: string) {
  if (known.has(feed)) return null;
  const made = await createRoot(env, feed, {}, WORKER_ACTOR.userId);
  if (!made.ok && made.code !== "ROOM_EXISTS") return made;
  known.add(feed);
  return null;
}
