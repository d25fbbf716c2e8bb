import type { HearthError } from "../../../core/hearthError.ts";
import type { Env } from "../../../http/env.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import type { FeedConfig, FeedSettings } from "../feedConfig.ts";
import type { FeedRootView } from "../feedRootKind.ts";
import { rootName } from "../names.ts";

/** What the worker reads from a root before placing a subscriber or answering metrics. */
export interface RootFacts {
  epoch: string;
  view: FeedRootView;
  config: FeedConfig;
}

/** Creates a feed's root (its own epoch, copied into the config so the kind can hand it to shards). ROOM_EXISTS when it is there. */
export async function createRoot(env: Env, feed: string, settings: FeedSettings, createdBy: string) {
  const epoch = crypto.randomUUID().slice(0, 8);
  return roomStub(env, rootName(feed)).create({ roomId: rootName(feed), kind: "feed", config: { ...settings, feed, epoch }, createdBy, mirror: { epoch } });
}

/**
 * How long a worker isolate reuses a root's shard list for placement. A list a moment old is
 * safe: a shard added meanwhile is found when the known ones are full and `grow` answers with
 * the current count (then the list is read afresh), and each shard checks its own capacity.
 * It spares the root one read per connect in a reconnect storm.
 */
export const PLACEMENT_CACHE_MS = 1_000;
const recent = new Map<string, { at: number; facts: RootFacts }>();

/** rootFacts for placing a subscriber: a list at most PLACEMENT_CACHE_MS old, or (`fresh`) read now and kept. */
export async function cachedRootFacts(env: Env, feed: string, create: boolean, fresh = false): Promise<RootFacts | HearthError> {
  const hit = recent.get(feed);
  if (!fresh && hit && Date.now() - hit.at < PLACEMENT_CACHE_MS) return hit.facts;
  const facts = await rootFacts(env, feed, create);
  if ("view" in facts) {
    // Bounded: a worker placing sockets for many feeds keeps only the newest lists.
    if (recent.size >= 1_000) recent.delete(recent.keys().next().value!);
    recent.set(feed, { at: Date.now(), facts });
  }
  return facts;
}

/** The root's current shards and config; with `create`, a missing root is made with the defaults first. */
export async function rootFacts(env: Env, feed: string, create = false): Promise<RootFacts | HearthError> {
  const stub = roomStub(env, rootName(feed));
  let snap = await stub.snapshot(WORKER_ACTOR, "feed");
  if (!snap.ok && snap.code === "ROOM_NOT_FOUND" && create) {
    const made = await createRoot(env, feed, {}, WORKER_ACTOR.userId);
    if (!made.ok && made.code !== "ROOM_EXISTS") return made;
    snap = await stub.snapshot(WORKER_ACTOR, "feed");
  }
  if (!snap.ok) return snap;
  const view = snap.state as FeedRootView;
  return { epoch: snap.epoch, view, config: view.config };
}
