import type { HearthError } from "../../../core/hearthError.ts";
import type { Env } from "../../../http/env.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import { rootFacts } from "./feedRoot.ts";
import type { FeedShardView } from "../feedShardKind.ts";
import { shardName } from "../names.ts";

export interface ShardMetrics {
  shard: number;
  /** Root seq the shard started at. */
  from: number;
  /** False until its first subscriber or event created it. */
  exists: boolean;
  subscribers: number;
  /** Open sockets (a user's second tab counts). */
  sockets: number;
  /** Frames fan-out sent to sockets and sends that failed, since the shard was created (its figures, [M1]). */
  deliveries: number;
  failures: number;
  /** Events mirrored, the last seq, and how far it trails the root. */
  events: number;
  lastSeq: number;
  behind: number;
  /** Root commit to this shard's apply of its last event, and the worst seen (ms). */
  lastLatencyMs: number | null;
  maxLatencyMs: number;
}

export interface FeedMetrics {
  feed: string;
  epoch: string;
  head: number;
  shardCount: number;
  subscribers: number;
  shards: ShardMetrics[];
  /** Publish-to-last-delivery of the newest event: the slowest shard's latency once all hold it, else null (in flight). */
  lastPublishToLastDeliveryMs: number | null;
}

/** `GET /api/feed`: the root's head and shards, and each shard's view and figures (two reads per shard, all in parallel). */
export async function feedMetrics(env: Env, feed: string): Promise<FeedMetrics | HearthError> {
  const facts = await rootFacts(env, feed);
  if (!("view" in facts)) return facts;
  const { head, shards } = facts.view;
  const rows = await Promise.all(
    shards.map(async ({ shard, from }): Promise<ShardMetrics> => {
      const stub = roomStub(env, shardName(feed, shard));
      const [snap, figures] = await Promise.all([stub.snapshot(WORKER_ACTOR, "feed-shard"), stub.metrics("feed-shard")]);
      const v = snap.ok ? (snap.state as FeedShardView) : null;
      const stats = figures.ok ? { sockets: figures.connections.current, ...figures.deliveries } : undefined;
      const lastSeq = v ? Math.max(v.lastSeq, from) : from;
      return {
        shard,
        from,
        exists: !!v,
        subscribers: v?.subscribers ?? 0,
        sockets: stats?.sockets ?? 0,
        deliveries: stats?.sent ?? 0,
        failures: stats?.failed ?? 0,
        events: v?.events ?? 0,
        lastSeq,
        behind: head - lastSeq,
        lastLatencyMs: v?.lastLatencyMs ?? null,
        maxLatencyMs: v?.maxLatencyMs ?? 0,
      };
    }),
  );
  const holding = rows.filter((r) => r.events > 0);
  const allThere = holding.length > 0 && rows.every((r) => r.behind === 0);
  return {
    feed,
    epoch: facts.epoch,
    head,
    shardCount: shards.length,
    subscribers: rows.reduce((n, r) => n + r.subscribers, 0),
    shards: rows,
    lastPublishToLastDeliveryMs: allThere ? Math.max(...holding.map((r) => r.lastLatencyMs ?? 0)) : null,
  };
}
