import type { Context } from "hono";
import { CloseCode, CloseReason } from "../../../core/closeCodes.ts";
import { closeWith } from "../../../http/closeWith.ts";
import type { Env } from "../../../http/env.ts";
import { httpError } from "../../../http/middleware/httpError.ts";
import type { RoomAccessVars } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import { connectRequest, forwardUpgrade } from "../../../http/upgradeToRoom.ts";
import { parseCursor } from "../../../core/planResume.ts";
import { candidateShards, growBy } from "../candidateShards.ts";
import { MAX_SHARDS } from "../feedRootKind.ts";
import { cachedRootFacts, type RootFacts } from "./feedRoot.ts";
import { DEFAULT_FEED, rootName, shardName } from "../names.ts";
import { SHARD_KIND, shardSpec } from "../shardSpec.ts";

/**
 * Most rounds of "try every shard not tried yet, then ask the root to grow" for one subscriber:
 * enough for a crowd at a fresh feed to double it up to MAX_SHARDS (growBy) with rounds to spare
 * for the grows another worker won first.
 */
const ROUNDS = 16;
/** However the rounds go, a subscriber hears an answer (a socket, or a refusal) within this. */
export const PLACE_BUDGET_MS = 10_000;
/** Between rounds, a random wait up to this (doubling per round from 10 ms) spreads a crowd's grows and retries. */
const MAX_BACKOFF_MS = 160;

type Ctx = Context<{ Bindings: Env; Variables: RoomAccessVars }>;
type Attempt = { placed: Response } | { full: true } | { refused: { status: number; code: string; message: string } };

/**
 * Puts a subscriber's socket on a shard with room. The worker asks the root
 * for its shards (a read, reused for a second: placement never writes at the
 * root), tries them in
 * candidateShards' order, each refusing over HTTP when full ([C6]) so the
 * next can be tried at once; when all are full it asks the root to grow
 * (compare-and-set on the count, so a crowd arriving together grows it once
 * per count) by growBy shards: one for a lone subscriber, doubling at most
 * for a worker that keeps finding the newest shards full (a crowd), and tries
 * again, with a short random backoff between rounds. A shard that does not
 * exist yet is created from the same spec the root's messages carry. Only
 * when the feed cannot grow (FEED_FULL, at MAX_SHARDS) or placement ran out
 * of rounds or of PLACE_BUDGET_MS (FEED_BUSY) is the client refused, always
 * with an answer: close 4009 or HTTP 503, and the SDK backs off and retries.
 */
export async function placeSubscriber(c: Ctx): Promise<Response> {
  const { roomId: feed, upgrade } = c.get("room");
  const refuse = (status: number, code: string, message: string, close: { code: number; reason: string }) =>
    upgrade?.refuse === "close" ? closeWith(close.code, close.reason, upgrade.protocol) : httpError(c, status, code, message);

  let facts = await cachedRootFacts(c.env, feed, feed === DEFAULT_FEED);
  if (!("view" in facts)) {
    if (facts.code === "ROOM_NOT_FOUND") return refuse(404, "FEED_NOT_FOUND", `No feed named ${feed}.`, { code: CloseCode.notFound, reason: "Feed not found" });
    return refuse(500, facts.code, facts.message, { code: 1011, reason: "Internal error" });
  }
  const { since } = parseCursor(c.req.query());
  const started = Date.now();
  const busy = () => refuse(503, "FEED_BUSY", "The feed is growing for a crowd; try again shortly.", { code: CloseCode.full, reason: CloseReason.full });
  const tried = new Set<number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const k of candidateShards(facts.view.shards, since)) {
      if (tried.has(k)) continue;
      if (Date.now() - started > PLACE_BUDGET_MS) return busy();
      tried.add(k);
      const attempt = await tryShard(c, facts, k);
      if ("placed" in attempt) return attempt.placed;
      if ("refused" in attempt) {
        const { status, code, message } = attempt.refused;
        return refuse(status, code, message, { code: status === 404 ? CloseCode.notFound : CloseCode.forbidden, reason: message.slice(0, 120) });
      }
    }
    // Every shard known is full: grow (by more each round: a crowd), unless another worker already did.
    const seen = facts.view.shards.length;
    const grown = await roomStub(c.env, rootName(feed)).submit(WORKER_ACTOR, { type: "grow", seen, add: growBy(seen, round) });
    if (!grown.ok) break;
    if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_BACKOFF_MS, 10 * 2 ** round)));
    if (Date.now() - started > PLACE_BUDGET_MS) return busy();
    const next = await cachedRootFacts(c.env, feed, false, true);
    if (!("view" in next)) break;
    facts = next;
  }
  if (facts.view.shards.length < MAX_SHARDS) return busy();
  return refuse(503, "FEED_FULL", "Every shard of this feed is full.", { code: CloseCode.full, reason: CloseReason.full });
}

/** One shard: placed, full (try the next), or a refusal the client must hear. Creates the shard when it is missing. */
async function tryShard(c: Ctx, facts: RootFacts, k: number): Promise<Attempt> {
  const name = shardName(facts.config.feed, k);
  const stub = roomStub(c.env, name);
  // Refusals come back over HTTP so the worker can act on them; the client hears them in its own style.
  const connect = connectRequest(c, { roomId: name, kind: SHARD_KIND, refuse: "placing" });
  for (let createdNow = false; ; createdNow = true) {
    const res = await forwardUpgrade(stub, connect);
    if (res.status === 101) return { placed: res };
    const error = ((await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null)?.error;
    const code = error?.code ?? "INTERNAL";
    if (code === "ROOM_FULL") return { full: true };
    if (code === "ROOM_NOT_FOUND" && !createdNow) {
      const from = facts.view.shards[k]?.from ?? facts.view.head;
      const spec = shardSpec(facts.config, k, from);
      const made = await stub.create({ roomId: name, name, kind: spec.kind, config: spec.config, createdBy: WORKER_ACTOR.userId, ...(spec.mirror ? { mirror: spec.mirror } : {}) });
      if (!made.ok && made.code !== "ROOM_EXISTS") return { refused: { status: 500, code: made.code, message: made.message } };
      continue;
    }
    return { refused: { status: res.status, code, message: error?.message ?? "The shard refused the connection." } };
  }
}
