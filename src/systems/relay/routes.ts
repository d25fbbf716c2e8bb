import { Hono, type Context } from "hono";
import { z } from "zod";
import { actorFor } from "../../http/auth/actorFor.ts";
import { SCOPES } from "../../http/auth/claims.ts";
import type { Env } from "../../http/env.ts";
import { historyQuery } from "../../http/historyQuery.ts";
import { idempotencyOptions } from "../../http/idempotencyOptions.ts";
import { httpError, roomErrorResponse } from "../../http/middleware/httpError.ts";
import { requireAuth, type AuthVars } from "../../http/middleware/requireAuth.ts";
import { readJson } from "../../http/readJson.ts";
import { ROOM_ID, roomStub } from "../../http/roomStub.ts";
import { upgradeToRoom } from "../../http/upgradeToRoom.ts";

type App = { Bindings: Env; Variables: AuthVars };

const createRoom = z.object({
  roomId: z.string().regex(ROOM_ID, "1-64 characters of A-Z a-z 0-9 _ -").optional(),
  kind: z.literal("relay").default("relay"),
  config: z.record(z.string(), z.unknown()).default({}),
});

/** The room a path names, and the caller as that room sees them (403 for a token bound to other rooms). */
function roomAndActor(c: Context<App>) {
  const roomId = c.req.param("roomId") ?? "";
  if (!ROOM_ID.test(roomId)) return { error: httpError(c, 400, "BAD_ROOM_ID", "Room ids are 1-64 characters of A-Z a-z 0-9 _ -.") };
  const actor = actorFor(c.get("claims"), roomId);
  if (!actor) return { error: httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this room.") };
  return { roomId, actor, stub: roomStub(c.env, roomId) };
}

/**
 * Hearth's generic rooms (the `relay` kind): create, snapshot, history,
 * publish over HTTP, and the socket. What the benchmarks and any app without
 * a seed protocol use.
 */
export const relayRoutes = new Hono<App>()
  .post("/api/rooms", requireAuth({ scope: SCOPES.admin }), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = createRoom.safeParse(body.value);
    if (!parsed.success) return httpError(c, 400, "BAD_REQUEST", "Room request is not valid.", parsed.error.issues);
    const roomId = parsed.data.roomId ?? crypto.randomUUID();
    const claims = c.get("claims");
    const created = await roomStub(c.env, roomId).create({ roomId, kind: parsed.data.kind, config: parsed.data.config, createdBy: claims.sub });
    if (!created.ok) return roomErrorResponse(c, created);
    await c.env.DIRECTORY.prepare("INSERT OR IGNORE INTO rooms (room_id, kind, created_at, created_by) VALUES (?, ?, ?, ?)")
      .bind(roomId, parsed.data.kind, Date.now(), claims.sub)
      .run();
    const ws = new URL(`/ws/rooms/${roomId}`, c.req.url);
    ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
    return c.json({ roomId, kind: created.kind, epoch: created.epoch, websocketUrl: ws.toString() }, 201);
  })
  .get("/api/rooms", requireAuth({ scope: SCOPES.admin }), async (c) => {
    const { results } = await c.env.DIRECTORY.prepare("SELECT room_id AS roomId, kind, created_at AS createdAt FROM rooms ORDER BY created_at DESC LIMIT 100").all();
    return c.json({ rooms: results });
  })
  .get("/api/rooms/:roomId", requireAuth(), async (c) => {
    const r = roomAndActor(c);
    if ("error" in r) return r.error;
    const snap = await r.stub.snapshot(r.actor);
    return snap.ok ? c.json(snap) : roomErrorResponse(c, snap);
  })
  .get("/api/rooms/:roomId/history", requireAuth(), async (c) => {
    const r = roomAndActor(c);
    if ("error" in r) return r.error;
    const q = historyQuery.safeParse(c.req.query());
    if (!q.success) return httpError(c, 400, "BAD_REQUEST", "Bad paging parameters.", q.error.issues);
    const page = await r.stub.history(r.actor, q.data.before, q.data.limit);
    return page.ok ? c.json(page) : roomErrorResponse(c, page);
  })
  .post("/api/rooms/:roomId/events", requireAuth(), async (c) => {
    const r = roomAndActor(c);
    if ("error" in r) return r.error;
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    const outcome = await r.stub.submit(r.actor, body.value, idem.options);
    if (!outcome.ok) return roomErrorResponse(c, outcome);
    const { ok: _ok, ...rest } = outcome;
    return c.json(rest, 200, outcome.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .post("/api/rooms/:roomId/reset", requireAuth({ scope: SCOPES.admin }), async (c) => {
    const r = roomAndActor(c);
    if ("error" in r) return r.error;
    const out = await r.stub.reset(r.actor);
    return out.ok ? c.json(out) : roomErrorResponse(c, out);
  })
  .get("/ws/rooms/:roomId", async (c) => {
    const roomId = c.req.param("roomId");
    if (!ROOM_ID.test(roomId)) return httpError(c, 400, "BAD_ROOM_ID", "Room ids are 1-64 characters of A-Z a-z 0-9 _ -.");
    return upgradeToRoom(c, { name: roomId, roomId, kind: "relay", refuse: "http" });
  });
