import type { HearthError } from "../../core/hearthError.ts";
import type { Env } from "../../http/env.ts";
import { roomStub } from "../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../http/serviceActor.ts";
import type { FeedConfig, FeedSettings } from "./feedConfig.ts";
import type { FeedRootView } from "./feedRootKind.ts";
import { rootName } from "./names.ts";

/** What the worker reads from a root before placing a subscriber or answering metrics. */
export interface RootFacts {
  epoch: string;
  view: FeedRootView;
  config: FeedConfig;
}

/** Creates a feed's root (its own epoch, copied into the config so the kind can hand it to shards). ROOM_EXISTS when it is there. */
export async function createRoot(env: Env, feed: string, settings: FeedSettings, createdBy: string) {
  const epoch = crypto.randomUUID().slice(0, 8);
  return roomStub(env, rootName(feed)).create({ roomId: rootName(feed), kind: "feed", config: { ...settings, feed, epoch }, createdBy, epoch });
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
