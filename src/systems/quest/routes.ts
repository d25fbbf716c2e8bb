import { Hono, type Context } from "hono";
import { z } from "zod";
import { questDefinitionSchema } from "./questKind.ts";
import { actorFor } from "../../http/auth/actorFor.ts";
import { SCOPES } from "../../http/auth/claims.ts";
import { idempotencyOptions } from "../../http/idempotencyOptions.ts";
import type { Env } from "../../http/env.ts";
import { httpError, roomErrorResponse } from "../../http/middleware/httpError.ts";
import { requireAuth, type AuthVars } from "../../http/middleware/requireAuth.ts";
import { readJson } from "../../http/readJson.ts";
import { roomStub } from "../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../http/serviceActor.ts";
import { newTeamCode, TEAM_CODE } from "./teamCode.ts";
import { upgradeToRoom } from "../../http/upgradeToRoom.ts";

type App = { Bindings: Env; Variables: AuthVars };

/** Quest sessions live in the room `quest:<teamCode>`; here sessionId equals teamCode (seed 000). */
const roomName = (teamCode: string) => `quest:${teamCode}`;
const QUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const playerName = z.string().trim().min(1).max(80);
const createTeam = z.object({ questId: z.string().regex(QUEST_ID), playerName, mode: z.enum(["solo", "team"]) });
const joinTeam = z.object({ playerName });

function websocketUrl(c: Context) {
  const url = new URL("/ws/quest", c.req.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

function sessionOf(c: Context<App>) {
  const code = (c.req.param("teamCode") ?? c.req.param("sessionId") ?? "").toUpperCase();
  return TEAM_CODE.test(code) ? code : null;
}

/**
 * The quest runtime (seed 000): quest definitions, team registration with
 * codes, runtime events over HTTP, the snapshot, and the team socket.
 */
export const questRoutes = new Hono<App>()
  .put("/api/quests/:questId", requireAuth({ scope: SCOPES.admin }), async (c) => {
    const questId = c.req.param("questId");
    if (!QUEST_ID.test(questId)) return httpError(c, 400, "BAD_QUEST_ID", "Quest ids are 1-64 characters of A-Z a-z 0-9 _ -.");
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const raw = body.value && typeof body.value === "object" ? { questId, ...(body.value as object) } : body.value;
    const parsed = questDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      const first = details[0];
      return httpError(c, 400, "BAD_QUEST", first ? `Invalid quest at ${first.path || "(root)"}: ${first.message}` : "Invalid quest.", details);
    }
    if (parsed.data.questId !== questId) return httpError(c, 400, "BAD_QUEST", "Body questId must match the URL.");
    await c.env.DIRECTORY.prepare(
      "INSERT INTO quests (quest_id, definition, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (quest_id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
      .bind(questId, JSON.stringify(parsed.data), Date.now(), c.get("claims").sub)
      .run();
    return c.json({ questId, objects: parsed.data.objects.length }, 200);
  })
  .post("/api/teams", requireAuth(), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = createTeam.safeParse(body.value);
    if (!parsed.success) return httpError(c, 400, "BAD_REQUEST", "Team request is not valid.", parsed.error.issues);
    const { questId, mode } = parsed.data;
    const row = await c.env.DIRECTORY.prepare("SELECT definition FROM quests WHERE quest_id = ?").bind(questId).first<{ definition: string }>();
    if (!row) return httpError(c, 404, "QUEST_NOT_FOUND", `No quest named ${questId}.`);
    const sub = c.get("claims").sub;
    // Claim a code in the directory first; a collision simply draws another.
    let teamCode: string | null = null;
    for (let attempt = 0; attempt < 8 && !teamCode; attempt++) {
      const code = newTeamCode();
      const res = await c.env.DIRECTORY.prepare("INSERT OR IGNORE INTO team_codes (team_code, quest_id, mode, created_at, created_by) VALUES (?, ?, ?, ?, ?)")
        .bind(code, questId, mode, Date.now(), sub)
        .run();
      if (res.meta.changes === 1) teamCode = code;
    }
    if (!teamCode) return httpError(c, 503, "NO_TEAM_CODE", "Could not allocate a team code; try again.");
    const created = await roomStub(c.env, roomName(teamCode)).create({
      roomId: teamCode,
      kind: "quest",
      config: { questId, definition: JSON.parse(row.definition), mode, players: [{ playerId: sub, playerName: parsed.data.playerName }] },
      createdBy: sub,
    });
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ teamCode, session: { sessionId: teamCode, playerName: parsed.data.playerName, mode }, websocketUrl: websocketUrl(c) }, 201);
  })
  .post("/api/teams/:teamCode/join", requireAuth(), async (c) => {
    const teamCode = sessionOf(c);
    if (!teamCode) return httpError(c, 404, "TEAM_NOT_FOUND", "No team with that code.");
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = joinTeam.safeParse(body.value);
    if (!parsed.success) return httpError(c, 400, "BAD_REQUEST", "Join request is not valid.", parsed.error.issues);
    const team = await c.env.DIRECTORY.prepare("SELECT mode FROM team_codes WHERE team_code = ?").bind(teamCode).first<{ mode: string }>();
    if (!team) return httpError(c, 404, "TEAM_NOT_FOUND", "No team with that code.");
    const out = await roomStub(c.env, roomName(teamCode)).submit(WORKER_ACTOR, {
      type: "REGISTER_PLAYER",
      playerId: c.get("claims").sub,
      playerName: parsed.data.playerName,
    });
    if (!out.ok) return roomErrorResponse(c, out);
    return c.json({ teamCode, session: { sessionId: teamCode, playerName: parsed.data.playerName, mode: team.mode }, websocketUrl: websocketUrl(c) });
  })
  .post("/api/runtime/session/:sessionId/events", requireAuth(), async (c) => {
    const sessionId = sessionOf(c);
    if (!sessionId) return httpError(c, 404, "ROOM_NOT_FOUND", "No such session.");
    const actor = actorFor(c.get("claims"), sessionId);
    if (!actor) return httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this session.");
    if (actor.service && !actor.scopes.includes(SCOPES.publish) && !actor.scopes.includes(SCOPES.admin)) {
      return httpError(c, 403, "SCOPE_REQUIRED", `Services need scope ${SCOPES.publish}.`);
    }
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    const out = await roomStub(c.env, roomName(sessionId)).submit(actor, body.value, { ...idem.options, withView: true });
    if (!out.ok) return c.json({ success: false, error: { code: out.code, message: out.message, ...(out.details === undefined ? {} : { details: out.details }) } }, out.status as 400);
    const deltas = (out.result as { deltas?: unknown[] } | null)?.deltas ?? [];
    return c.json({ success: true, snapshot: out.view, deltas, seq: out.seq, epoch: out.epoch }, 200, out.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .get("/api/runtime/session/:sessionId", requireAuth(), async (c) => {
    const sessionId = sessionOf(c);
    if (!sessionId) return httpError(c, 404, "ROOM_NOT_FOUND", "No such session.");
    const actor = actorFor(c.get("claims"), sessionId);
    if (!actor) return httpError(c, 403, "ROOM_FORBIDDEN", "This token is not valid for this session.");
    const snap = await roomStub(c.env, roomName(sessionId)).snapshot(actor, "quest");
    if (!snap.ok) return roomErrorResponse(c, snap);
    return c.json({ success: true, snapshot: snap.state, seq: snap.seq, epoch: snap.epoch });
  })
  .get("/ws/quest", async (c) => {
    const teamCode = (c.req.query("teamCode") ?? "").toUpperCase();
    if (!TEAM_CODE.test(teamCode)) return httpError(c, 404, "ROOM_NOT_FOUND", "No such team.");
    return upgradeToRoom(c, { name: roomName(teamCode), roomId: teamCode, kind: "quest", refuse: "http" });
  });
