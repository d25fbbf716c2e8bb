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
import { candidateShards } from "../candidateShards.ts";
import { cachedRootFacts, type RootFacts } from "./feedRoot.ts";
import { DEFAULT_FEED, rootName, shardName } from "../names.ts";
import { SHARD_KIND, shardSpec } from "../shardSpec.ts";

/** Rounds of "try every shard, then add one" before a subscriber is told the feed is full. */
const ROUNDS = 3;

type Ctx = Context<{ Bindings: Env; Variables: RoomAccessVars }>;
type Attempt = { placed: Response } | { full: true } | { refused: { status: number; code: string; message: string } };

/**
 * Puts a subscriber's socket on a shard with room. The worker asks the root
 * for its shards (a read, reused for a second: placement never writes at the
 * root), tries them in
 * candidateShards' order, each refusing over HTTP when full ([C6]) so the
 * next can be tried at once; when all are full it asks the root to add one
 * (compare-and-set on the count, so a crowd arriving together adds one shard,
 * not many) and tries again. A shard that does not exist yet is created from
 * the same spec the root's messages carry. Only when the feed cannot grow is
 * the client refused: close 4009, and the SDK backs off and retries.
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
  const tried = new Set<number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const k of candidateShards(facts.view.shards, since)) {
      if (tried.has(k)) continue;
      tried.add(k);
      const attempt = await tryShard(c, facts, k);
      if ("placed" in attempt) return attempt.placed;
      if ("refused" in attempt) {
        const { status, code, message } = attempt.refused;
        return refuse(status, code, message, { code: status === 404 ? CloseCode.notFound : CloseCode.forbidden, reason: message.slice(0, 120) });
      }
    }
    const grown = await roomStub(c.env, rootName(feed)).submit(WORKER_ACTOR, { type: "grow", seen: facts.view.shards.length });
    if (!grown.ok) break;
    const next = await cachedRootFacts(c.env, feed, false, true);
    if (!("view" in next)) break;
    facts = next;
  }
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
