import { Hono } from "hono";
import { z } from "zod";
import { SCOPES } from "../../../core/scopes.ts";
import { scopesOf } from "../../../http/auth/claims.ts";
import { closeWith } from "../../../http/closeWith.ts";
import type { Env } from "../../../http/env.ts";
import { idempotencyOptions } from "../../../http/idempotencyOptions.ts";
import { httpError, roomErrorResponse } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { describeRoute } from "../../../http/openapi/routeDocs.ts";
import { seqEpoch } from "../../../http/openapi/schemas.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccessOptions } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { socketUrl } from "../../../http/socketUrl.ts";
import { connectRequest, forwardUpgrade } from "../../../http/upgradeToRoom.ts";
import { feedSettings } from "../feedConfig.ts";
import { createRoot, ensureFeed } from "./feedRoot.ts";
import { feedMetrics } from "./feedMetrics.ts";
import { DEFAULT_FEED, FEED_NAME, rootName } from "../names.ts";
import { publishBody } from "../publishSchema.ts";

/** `?feed=<name>` selects a feed; without it, the default one (seed 003 has one stream). */
const feedAccess = {
  query: "feed",
  normalize: (raw: string) => raw || DEFAULT_FEED,
  pattern: FEED_NAME,
  name: rootName,
  invalid: { status: 400, code: "BAD_FEED", message: "Feed names are 1-64 characters of A-Z a-z 0-9 _ -." },
  forbidden: "This token is not valid for this feed.",
} satisfies RoomAccessOptions;

const createFeed = feedSettings.extend({ feed: z.string().regex(FEED_NAME, "1-64 characters of A-Z a-z 0-9 _ -") });

const tags = ["feed"];
const feedQuery = z.object({ feed: z.string().optional().describe("The feed's name (default `default`).") });

/** What each route answers (/openapi.json, /docs). */
const doc = {
  create: describeRoute({
    summary: "Create a feed with chosen settings",
    tags,
    responses: { 201: { description: "Created", schema: z.object({ feed: z.string(), epoch: seqEpoch.epoch, websocketUrl: z.string() }) } },
    errors: { 409: ["ROOM_EXISTS"] },
  }),
  publish: describeRoute({
    summary: "Publish an event to every subscriber",
    description: "A feed comes into being with its first publish (with default settings).",
    tags,
    query: feedQuery,
    idempotent: true,
    responses: {
      202: { description: "Committed at the feed's root; its shards deliver it after", schema: z.object(seqEpoch) },
      200: { description: "An `Idempotency-Key` replay", schema: z.object(seqEpoch), headers: { "Idempotent-Replayed": "`true`" } },
    },
    errors: { 429: ["RATE_LIMITED"] },
  }),
  metrics: describeRoute({
    summary: "A feed's figures: head, subscribers, sockets, deliveries, fan-out time",
    tags,
    query: feedQuery,
    responses: {
      200: {
        description: "The figures",
        schema: z.object({
          feed: z.string(),
          epoch: seqEpoch.epoch,
          head: z.number().int(),
          subscribers: z.number().int(),
          sockets: z.number().int(),
          objects: z.number().int().describe("Objects holding the sockets: the feed's own and its gateways with sockets."),
          deliveries: z.number().int(),
          failures: z.number().int(),
          fanOutMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), max: z.number() }),
          spread: z
            .object({ objects: z.number().int(), sockets: z.number().int(), gateways: z.array(z.object({ name: z.string(), sockets: z.number().int() })) })
            .optional()
            .describe("Admins (`rooms:admin`) only: which gateways hold how many sockets."),
        }),
      },
    },
    errors: { 403: ["SCOPE_REQUIRED"], 404: ["ROOM_NOT_FOUND", "FEED_NOT_FOUND"] },
  }),
  socket: describeRoute({
    summary: "A feed's socket",
    tags,
    frames: "Workflow event feed (seed 003)",
    query: feedQuery,
    responses: {},
    errors: { 404: ["FEED_NOT_FOUND"] },
  }),
};

/**
 * The workflow event feed (seed 003): services publish over HTTP, every
 * subscriber gets the event with the same seq, whichever object holds its
 * socket (the feed's room places it: its own object, then gateways, [S5]).
 */
export const feedRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/feeds", doc.create, requireAuth({ scope: SCOPES.admin }), jsonBody(createFeed, { message: "Feed request is not valid." }), async (c) => {
    const { feed, ...settings } = c.get("body").value;
    const created = await createRoot(c.env, feed, settings, c.get("claims").sub);
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ feed, epoch: created.epoch, websocketUrl: socketUrl(c.req.url, `/ws/feed?feed=${feed}`) }, 201);
  })
  .post("/api/feed/events", doc.publish, roomAccess({ ...feedAccess, scope: SCOPES.publish }), jsonBody(publishBody, { message: "Feed event is not valid." }), async (c) => {
    const { stub, actor, roomId: feed, claims } = c.get("room");
    const body = c.get("body");
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    const command = { type: "publish", event: body.value };
    let outcome = await stub.submit(actor, command, idem.options);
    if (!outcome.ok && outcome.code === "ROOM_NOT_FOUND") {
      // A feed comes into being with its first publish (defaults; POST /api/feeds chooses others).
      const made = await createRoot(c.env, feed, {}, claims.sub);
      if (!made.ok && made.code !== "ROOM_EXISTS") return roomErrorResponse(c, made);
      outcome = await stub.submit(actor, command, idem.options);
    }
    if (!outcome.ok) return roomErrorResponse(c, outcome);
    // 202: committed; the fan-out to every subscriber follows (pushes to gateways after the answer).
    return c.json({ seq: outcome.seq, epoch: outcome.epoch }, outcome.replayed ? 200 : 202, outcome.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .get("/api/feed", doc.metrics, roomAccess(feedAccess), async (c) => {
    const { actor, roomId: feed, claims } = c.get("room");
    if (!actor.service) return httpError(c, 403, "SCOPE_REQUIRED", "Feed metrics are for services (a token with a Hearth scope).");
    // [S5] An admin also sees which gateways hold how many sockets.
    const metrics = await feedMetrics(c.env, feed, scopesOf(claims).includes(SCOPES.admin));
    return "code" in metrics ? roomErrorResponse(c, metrics) : c.json(metrics);
  })
  .get("/ws/feed", doc.socket, roomAccess({ ...feedAccess, upgrade: true }), async (c) => {
    const { roomId: feed, stub, upgrade } = c.get("room");
    if (feed === DEFAULT_FEED) {
      const failed = await ensureFeed(c.env, feed);
      if (failed) return upgrade?.refuse === "close" ? closeWith(1011, "Internal error", upgrade.protocol) : roomErrorResponse(c, failed);
    }
    // The feed's room places the socket: its own object up to shardSize, then gateways ([S5]).
    const res = await forwardUpgrade(stub, connectRequest(c, { kind: "feed" }), (name) => roomStub(c.env, name));
    // Another feed must exist: an unknown one is FEED_NOT_FOUND (a client can't make the server create objects).
    if (res.status === 404 && upgrade?.refuse !== "close") return httpError(c, 404, "FEED_NOT_FOUND", `No feed named ${feed}.`);
    return res;
  });
