import {
  idempotencyOptions,
  jsonBody,
  objectName,
  requireAuth,
  roomAccess,
  roomErrorResponse,
  roomJson,
  roomStub,
  socketUrl,
  upgradeToRoom,
  type Env,
} from "@hearth/server";
import { Hono } from "hono";
import { z } from "zod";
import { pollConfig } from "./pollKind.ts";

/** The body of `POST /api/polls`: the kind's own config schema, minus the owner (the caller). */
const createPoll = pollConfig.omit({ owner: true });

/** Every poll route reaches the room `poll:<pollId>` (roomAccess checks the id and the token). */
const poll = roomAccess({ param: "pollId", kind: "poll" });

/**
 * The poll's HTTP and WebSocket routes: create (any signed-in user, who becomes its owner),
 * read, vote over HTTP, and the live socket (`{type:"vote",option}` frames in, `tally` out).
 */
export const pollRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/polls", requireAuth(), jsonBody(createPoll, { message: "A poll needs a question and 2-10 options." }), async (c) => {
    const { question, options } = c.get("body").value;
    const owner = c.get("claims").sub;
    const pollId = crypto.randomUUID();
    const created = await roomStub(c.env, objectName("poll", pollId)).create({ roomId: pollId, kind: "poll", config: { question, options, owner }, createdBy: owner });
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ pollId, websocketUrl: socketUrl(c.req.url, `/ws/polls/${pollId}`) }, 201);
  })
  .get("/api/polls/:pollId", poll, async (c) => {
    const { stub, actor } = c.get("room");
    return roomJson(c, await stub.snapshot(actor, "poll"));
  })
  .post("/api/polls/:pollId/votes", poll, jsonBody(z.object({ option: z.number().int().min(0) })), async (c) => {
    const { stub, actor } = c.get("room");
    const body = c.get("body");
    // With an Idempotency-Key a retried vote is applied once and answered the same way again.
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    return roomJson(c, await stub.submit(actor, { type: "vote", option: body.value.option }, idem.options));
  })
  .get("/ws/polls/:pollId", roomAccess({ param: "pollId", kind: "poll", upgrade: true }), upgradeToRoom({ kind: "poll" }));
