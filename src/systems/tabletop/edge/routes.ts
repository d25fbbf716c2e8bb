import { Hono } from "hono";
import { z } from "zod";
import { actorFor } from "../../../http/auth/actorFor.ts";
import { SCOPES } from "../../../core/scopes.ts";
import { objectName } from "../../../core/objectName.ts";
import type { Env } from "../../../http/env.ts";
import { historyQuery } from "../../../http/historyQuery.ts";
import { httpError, roomErrorResponse, roomJson } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { queryParams } from "../../../http/middleware/queryParams.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccessOptions } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";

/** Tabletop sessions live in the room `tabletop:<session_id>`. */
const roomName = (sessionId: string) => objectName("tabletop", sessionId);
const userId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
const createSession = z.object({
  campaign_id: z.union([z.string().min(1).max(100), z.number().int()]),
  dm_user_id: userId,
  players: z.array(userId).max(200).optional(),
});

const table = { param: "session_id", kind: "tabletop" } satisfies RoomAccessOptions;
const session = roomAccess({
  ...table,
  invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "Session not found." },
  forbidden: "This token is not valid for this session.",
});

/**
 * DM-led tabletop sessions (seed 002): `{event, data}` frames over
 * `/ws/game/:session_id`, sessions created by a service or the DM.
 */
export const tabletopRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/sessions", requireAuth(), jsonBody(createSession, { message: "Session request is not valid." }), async (c) => {
    const request = c.get("body").value;
    const claims = c.get("claims");
    const actor = actorFor(claims, null);
    const isService = !!actor?.scopes.some((s) => s === SCOPES.admin || s === SCOPES.publish);
    if (!isService && claims.sub !== request.dm_user_id) {
      return httpError(c, 403, "FORBIDDEN", "Only a service or the session's DM may create it.");
    }
    const sessionId = crypto.randomUUID();
    const created = await roomStub(c.env, roomName(sessionId)).create({
      roomId: sessionId,
      kind: "tabletop",
      config: { ...request, created_at: new Date().toISOString() },
      createdBy: claims.sub,
    });
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ session_id: sessionId }, 201);
  })
  .get("/ws/room/:session_id/info", session, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "tabletop");
    if (!snap.ok) return roomErrorResponse(c, snap);
    const view = snap.state as { session_id: string; campaign_id: unknown; players: unknown[]; player_count: number; created_at: string };
    return c.json({ session_id: view.session_id, campaign_id: view.campaign_id, players: view.players, player_count: view.player_count, created_at: view.created_at });
  })
  .get("/api/sessions/:session_id", session, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "tabletop");
    return roomJson(c, snap);
  })
  .get("/api/sessions/:session_id/history", session, queryParams(historyQuery, "Bad paging parameters."), async (c) => {
    const { stub, actor } = c.get("room");
    const { before, limit } = c.get("query");
    const page = await stub.history(actor, before, limit, "tabletop");
    return roomJson(c, page);
  })
  // Seed 002 clients learn why from close codes (4001 Invalid token, 4004 Session not found, 4003),
  // a malformed session id included: it is refused here and never names a Durable Object.
  .get("/ws/game/:session_id", roomAccess({ ...table, upgrade: true, refuse: "close" }), upgradeToRoom({ kind: "tabletop" }));
