import type { HearthError } from "../../../core/hearthError.ts";
import type { Env } from "../../../http/env.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import type { Spread } from "../../../room/rpc.ts";
import type { FeedView } from "../feedKind.ts";
import { rootName } from "../names.ts";

export interface FeedMetrics {
  feed: string;
  epoch: string;
  /** Seq of the last event published. */
  head: number;
  /** Distinct users subscribed (a user's second tab counts once). */
  subscribers: number;
  /** Open sockets, over every object. */
  sockets: number;
  /** Objects holding them: the feed's own and its gateways with sockets ([S5]). */
  objects: number;
  /** Frames the feed handed to its sockets (its own, or into a gateway's push) and sends that failed, since it was created ([C7]). */
  deliveries: number;
  failures: number;
  /** Publish (commit) to the fan-out handed off, in ms ([M1] broadcast latency; gateways send one push RPC later). */
  fanOutMs: { p50: number | null; p95: number | null; max: number };
  /** Admins only: which gateways hold how many sockets. */
  spread?: Spread;
}

/** `GET /api/feed`: the feed room's view, figures and spread (three reads of the one object, in parallel). */
export async function feedMetrics(env: Env, feed: string, admin: boolean): Promise<FeedMetrics | HearthError> {
  const stub = roomStub(env, rootName(feed));
  const [snap, figures, spread] = await Promise.all([stub.snapshot(WORKER_ACTOR, "feed"), stub.metrics("feed"), stub.spread()]);
  if (!snap.ok) return snap;
  if (!figures.ok) return figures;
  if (!spread.ok) return spread;
  const view = snap.state as FeedView;
  const latency = figures.broadcasts.latencyMs;
  return {
    feed,
    epoch: snap.epoch,
    head: view.head,
    subscribers: view.subscribers,
    sockets: spread.sockets,
    objects: spread.objects,
    deliveries: figures.deliveries.sent,
    failures: figures.deliveries.failed,
    fanOutMs: { p50: latency.p50, p95: latency.p95, max: latency.max },
    ...(admin ? { spread: { objects: spread.objects, sockets: spread.sockets, gateways: spread.gateways } } : {}),
  };
}
