import { Hono } from "hono";
import { z } from "zod";
import { SCOPES } from "../../../core/scopes.ts";
import { scopesOf } from "../../../http/auth/claims.ts";
import type { Env } from "../../../http/env.ts";
import { historyQuery } from "../../../http/historyQuery.ts";
import { idempotencyOptions } from "../../../http/idempotencyOptions.ts";
import { roomErrorResponse, roomJson } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { queryParams } from "../../../http/middleware/queryParams.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess } from "../../../http/middleware/roomAccess.ts";
import { ROOM_ID, roomStub } from "../../../http/roomStub.ts";
import { socketUrl } from "../../../http/socketUrl.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";

const createRoom = z.object({
  roomId: z.string().regex(ROOM_ID, "1-64 characters of A-Z a-z 0-9 _ -").optional(),
  kind: z.literal("relay").default("relay"),
  config: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Hearth's generic rooms (the `relay` kind): create, snapshot, history,
 * publish over HTTP, and the socket. What the benchmarks and any app without
 * a seed protocol use. A relay room's Durable Object is named by its id.
 */
export const relayRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/rooms", requireAuth({ scope: SCOPES.admin }), jsonBody(createRoom, { message: "Room request is not valid." }), async (c) => {
    const { value } = c.get("body");
    const roomId = value.roomId ?? crypto.randomUUID();
    const claims = c.get("claims");
    const created = await roomStub(c.env, roomId).create({ roomId, kind: value.kind, config: value.config, createdBy: claims.sub });
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ roomId, kind: created.kind, epoch: created.epoch, websocketUrl: socketUrl(c.req.url, `/ws/rooms/${roomId}`) }, 201);
  })
  .get("/api/rooms/:roomId", roomAccess(), async (c) => {
    const { stub, actor, claims } = c.get("room");
    const snap = await stub.snapshot(actor);
    // [S5] An admin also sees where the room's sockets are: its own object and its gateways.
    if (!snap.ok || !scopesOf(claims).includes(SCOPES.admin)) return roomJson(c, snap);
    const spread = await stub.spread();
    return roomJson(c, spread.ok ? { ...snap, spread: { objects: spread.objects, sockets: spread.sockets, gateways: spread.gateways } } : snap);
  })
  .get("/api/rooms/:roomId/history", roomAccess(), queryParams(historyQuery, "Bad paging parameters."), async (c) => {
    const { stub, actor } = c.get("room");
    const { before, limit } = c.get("query");
    const page = await stub.history(actor, before, limit);
    return roomJson(c, page);
  })
  .post("/api/rooms/:roomId/events", roomAccess(), jsonBody(z.unknown()), async (c) => {
    const { stub, actor } = c.get("room");
    const body = c.get("body");
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    const outcome = await stub.submit(actor, body.value, idem.options);
    if (!outcome.ok) return roomErrorResponse(c, outcome);
    const { ok: _ok, ...rest } = outcome;
    return c.json(rest, 200, outcome.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .post("/api/rooms/:roomId/reset", roomAccess({ scope: SCOPES.admin }), async (c) => {
    const { stub, actor } = c.get("room");
    const out = await stub.reset(actor);
    return roomJson(c, out);
  })
  .get("/ws/rooms/:roomId", roomAccess({ upgrade: true }), upgradeToRoom({ kind: "relay" }));
