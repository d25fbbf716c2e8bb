import { Hono, type Context } from "hono";
import { z } from "zod";
import { actorFor } from "../../http/auth/actorFor.ts";
import { SCOPES } from "../../http/auth/claims.ts";
import type { Env } from "../../http/env.ts";
import { historyQuery } from "../../http/historyQuery.ts";
import { httpError, roomErrorResponse } from "../../http/middleware/httpError.ts";
import { requireAuth, type AuthVars } from "../../http/middleware/requireAuth.ts";
import { readJson } from "../../http/readJson.ts";
import { roomStub } from "../../http/roomStub.ts";
import { upgradeToRoom } from "../../http/upgradeToRoom.ts";

type App = { Bindings: Env; Variables: AuthVars };

/** Tabletop sessions live in the room `tabletop:<session_id>`. */
const roomName = (sessionId: string) => `tabletop:${sessionId}`;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const userId = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
const createSession = z.object({
  campaign_id: z.union([z.string().min(1).max(100), z.number().int()]),
  dm_user_id: userId,
  players: z.array(userId).max(200).optional(),
});
function session(c: Context<App>) {
  const sessionId = c.req.param("session_id") ?? "";
  if (!SESSION_ID.test(sessionId)) return { error: httpError(c, 404, "ROOM_NOT_FOUND", "Session not found.") };
  const actor = actorFor(c.get("claims"), sessionId);
  if (!actor) return { error: httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this session.") };
  return { sessionId, actor, stub: roomStub(c.env, roomName(sessionId)) };
}

/**
 * DM-led tabletop sessions (seed 002): `{event, data}` frames over
 * `/ws/game/:session_id`, sessions created by a service or the DM.
 */
export const tabletopRoutes = new Hono<App>()
  .post("/api/sessions", requireAuth(), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = createSession.safeParse(body.value);
    if (!parsed.success) return httpError(c, 400, "BAD_REQUEST", "Session request is not valid.", parsed.error.issues);
    const claims = c.get("claims");
    const actor = actorFor(claims, null);
    const isService = !!actor?.scopes.some((s) => s === SCOPES.admin || s === SCOPES.publish);
    if (!isService && claims.sub !== parsed.data.dm_user_id) {
      return httpError(c, 403, "FORBIDDEN", "Only a service or the session's DM may create it.");
    }
    const sessionId = crypto.randomUUID();
    const created = await roomStub(c.env, roomName(sessionId)).create({
      roomId: sessionId,
      kind: "tabletop",
      config: { ...parsed.data, created_at: new Date().toISOString() },
      createdBy: claims.sub,
    });
    if (!created.ok) return roomErrorResponse(c, created);
    await c.env.DIRECTORY.prepare("INSERT OR IGNORE INTO rooms (room_id, kind, created_at, created_by) VALUES (?, ?, ?, ?)")
      .bind(roomName(sessionId), "tabletop", Date.now(), claims.sub)
      .run();
    return c.json({ session_id: sessionId }, 201);
  })
  .get("/ws/room/:session_id/info", requireAuth(), async (c) => {
    const s = session(c);
    if ("error" in s) return s.error;
    const snap = await s.stub.snapshot(s.actor, "tabletop");
    if (!snap.ok) return roomErrorResponse(c, snap);
    const view = snap.state as { session_id: string; campaign_id: unknown; players: unknown[]; player_count: number; created_at: string };
    return c.json({ session_id: view.session_id, campaign_id: view.campaign_id, players: view.players, player_count: view.player_count, created_at: view.created_at });
  })
  .get("/api/sessions/:session_id", requireAuth(), async (c) => {
    const s = session(c);
    if ("error" in s) return s.error;
    const snap = await s.stub.snapshot(s.actor, "tabletop");
    return snap.ok ? c.json(snap) : roomErrorResponse(c, snap);
  })
  .get("/api/sessions/:session_id/history", requireAuth(), async (c) => {
    const s = session(c);
    if ("error" in s) return s.error;
    const q = historyQuery.safeParse(c.req.query());
    if (!q.success) return httpError(c, 400, "BAD_REQUEST", "Bad paging parameters.", q.error.issues);
    const page = await s.stub.history(s.actor, q.data.before, q.data.limit, "tabletop");
    return page.ok ? c.json(page) : roomErrorResponse(c, page);
  })
  .get("/ws/game/:session_id", async (c) => {
    const sessionId = c.req.param("session_id");
    // Seed 002 clients learn why from close codes (4001 Invalid token, 4004 Session not found, 4003).
    if (!SESSION_ID.test(sessionId)) return upgradeToRoom(c, { name: roomName("invalid"), roomId: "invalid", kind: "tabletop", refuse: "close" });
    return upgradeToRoom(c, { name: roomName(sessionId), roomId: sessionId, kind: "tabletop", refuse: "close" });
  });
