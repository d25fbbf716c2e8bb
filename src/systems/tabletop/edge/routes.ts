import { Hono } from "hono";
import { z } from "zod";
import { actorFor } from "../../../http/auth/actorFor.ts";
import { SCOPES } from "../../../core/scopes.ts";
import { objectName, ROOM_ID } from "../../../core/objectName.ts";
import type { Env } from "../../../http/env.ts";
import { historyQuery } from "../../../http/historyQuery.ts";
import { httpError, roomErrorResponse, roomJson } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { describeRoute } from "../../../http/openapi/routeDocs.ts";
import { historyPage, roomSnapshot } from "../../../http/openapi/schemas.ts";
import { queryParams } from "../../../http/middleware/queryParams.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccessOptions } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";

/** Tabletop sessions live in the room `tabletop:<session_id>`. */
const roomName = (sessionId: string) => objectName("tabletop", sessionId);
const userId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
/**
 * The app's own id for the session (seed 002 uses its database's integers): a safe integer, or
 * 1-64 characters of A-Z a-z 0-9 _ -. It is the room id as its decimal text, so `42` and `"42"`
 * are the same session, reachable at `/ws/game/42`; the seed's frames echo it as it was given.
 */
export const sessionIdInput = z.union([
  z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  z.string().regex(ROOM_ID, "1-64 characters of A-Z a-z 0-9 _ -"),
]);
const createSession = z.object({
  session_id: sessionIdInput.optional(),
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

const tags = ["tabletop"];
const givenId = z.union([z.string(), z.number().int()]).describe("As the app gave it: an integer stays an integer.");
const notFound = { 404: ["ROOM_NOT_FOUND"] };

/** What each route answers (/openapi.json, /docs). */
const doc = {
  create: describeRoute({
    summary: "Create a tabletop session",
    description: "A service token (`events:publish` or `rooms:admin`) or the DM's own. With `players`, only they and the DM may connect.",
    tags,
    responses: { 201: { description: "Created", schema: z.object({ session_id: givenId }) } },
    errors: { 403: ["FORBIDDEN"], 409: ["ROOM_EXISTS"] },
  }),
  info: describeRoute({
    summary: "A session's facts (seed 002's room info)",
    tags,
    responses: {
      200: {
        description: "The session",
        schema: z.object({ session_id: givenId, campaign_id: givenId, players: z.array(z.unknown()), player_count: z.number().int(), created_at: z.string() }),
      },
    },
    errors: notFound,
  }),
  snapshot: describeRoute({ summary: "A session's snapshot", tags, responses: { 200: { description: "The session as this caller sees it", schema: roomSnapshot } }, errors: notFound }),
  history: describeRoute({
    summary: "A session's logged frames, newest first",
    tags,
    responses: { 200: { description: "One page; whispers only for their two parties", schema: historyPage } },
    errors: notFound,
  }),
  socket: describeRoute({
    summary: "A session's socket (auto-join)",
    tags,
    frames: "Tabletop sessions (seed 002)",
    query: z.object({
      character_id: z.string().optional().describe("The player's character, announced in `room_joined` and `player_list`."),
      character_name: z.string().optional().describe("Its name."),
    }),
    responses: {},
  }),
};

/**
 * DM-led tabletop sessions (seed 002): `{event, data}` frames over
 * `/ws/game/:session_id`, sessions created by a service or the DM.
 */
export const tabletopRoutes = new Hono<{ Bindings: Env }>()
  .post("/api/sessions", doc.create, requireAuth(), jsonBody(createSession, { message: "Session request is not valid." }), async (c) => {
    const request = c.get("body").value;
    const claims = c.get("claims");
    const actor = actorFor(claims, null);
    const isService = !!actor?.scopes.some((s) => s === SCOPES.admin || s === SCOPES.publish);
    if (!isService && claims.sub !== request.dm_user_id) {
      return httpError(c, 403, "FORBIDDEN", "Only a service or the session's DM may create it.");
    }
    // The app's id when it gives one (kept as given: an integer stays an integer in the seed's
    // frames); otherwise a new UUID, as before.
    const given = request.session_id;
    const sessionId = given === undefined ? crypto.randomUUID() : String(given);
    const created = await roomStub(c.env, roomName(sessionId)).create({
      roomId: sessionId,
      kind: "tabletop",
      config: { ...request, session_id: given ?? sessionId, created_at: new Date().toISOString() },
      createdBy: claims.sub,
    });
    if (!created.ok && created.code === "ROOM_EXISTS") {
      return httpError(c, 409, "ROOM_EXISTS", `Session ${sessionId} already exists; choose another session_id or leave it out for a new one.`);
    }
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ session_id: given ?? sessionId }, 201);
  })
  .get("/ws/room/:session_id/info", doc.info, session, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "tabletop");
    if (!snap.ok) return roomErrorResponse(c, snap);
    const view = snap.state as { session_id: string; campaign_id: unknown; players: unknown[]; player_count: number; created_at: string };
    return c.json({ session_id: view.session_id, campaign_id: view.campaign_id, players: view.players, player_count: view.player_count, created_at: view.created_at });
  })
  .get("/api/sessions/:session_id", doc.snapshot, session, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "tabletop");
    return roomJson(c, snap);
  })
  .get("/api/sessions/:session_id/history", doc.history, session, queryParams(historyQuery, "Bad paging parameters."), async (c) => {
    const { stub, actor } = c.get("room");
    const { before, limit } = c.get("query");
    const page = await stub.history(actor, before, limit, "tabletop");
    return roomJson(c, page);
  })
  // Seed 002 clients learn why from close codes (4001 Invalid token, 4004 Session not found, 4003),
  // a malformed session id included: it is refused here and never names a Durable Object.
  .get("/ws/game/:session_id", doc.socket, roomAccess({ ...table, upgrade: true, refuse: "close" }), upgradeToRoom({ kind: "tabletop" }));
