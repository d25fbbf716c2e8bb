import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { statusOf } from "../../../core/hearthError.ts";
import { SCOPES } from "../../../core/scopes.ts";
import { objectName } from "../../../core/objectName.ts";
import type { Env } from "../../../http/env.ts";
import { idempotencyOptions } from "../../../http/idempotencyOptions.ts";
import { errorHeaders, httpError, roomErrorResponse } from "../../../http/middleware/httpError.ts";
import { jsonBody } from "../../../http/middleware/jsonBody.ts";
import { ANY_RULE, describeRoute } from "../../../http/openapi/routeDocs.ts";
import { seqEpoch } from "../../../http/openapi/schemas.ts";
import { rateLimit } from "../../../http/middleware/rateLimit.ts";
import { requireAuth } from "../../../http/middleware/requireAuth.ts";
import { roomAccess, type RoomAccessOptions } from "../../../http/middleware/roomAccess.ts";
import { roomStub } from "../../../http/roomStub.ts";
import { WORKER_ACTOR } from "../../../http/serviceActor.ts";
import { socketUrl } from "../../../http/socketUrl.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";
import { questDefinitionSchema } from "../questKind.ts";
import { batchSchema, runtimeEventSchema } from "../schema.ts";
import { newTeamCode, TEAM_CODE } from "../teamCode.ts";

/** Quest sessions live in the room `quest:<teamCode>`; here sessionId equals teamCode (seed 000). */
const roomName = (teamCode: string) => objectName("quest", teamCode);
const QUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const playerName = z.string().trim().min(1).max(80);
const createTeam = z.object({ questId: z.string().regex(QUEST_ID), playerName, mode: z.enum(["solo", "team"]) });
const joinTeam = z.object({ playerName });

/** A team's room, by its code (read case-insensitively). */
const team = { normalize: (raw: string) => raw.toUpperCase(), pattern: TEAM_CODE, kind: "quest" } satisfies RoomAccessOptions;
const session = roomAccess({
  ...team,
  param: "sessionId",
  invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "No such session." },
  forbidden: "This token is not valid for this session.",
});

/**
 * Team codes are bearer invitations: whoever knows one may join. Their
 * defence is entropy (31^6 codes) and this per-user budget on creating and
 * joining, so codes can be neither farmed nor guessed in bulk. The period
 * matches wrangler.toml's TEAMS_RATE_LIMIT.
 */
const teamsBudget = rateLimit({ binding: (env) => env.TEAMS_RATE_LIMIT, periodSec: 60, prefix: "teams" });

/** Joining names a team by code but is not yet a member of it, so it needs no room-confined token. */
const teamCodeParam: MiddlewareHandler<{ Variables: { teamCode: string } }> = async (c, next) => {
  const teamCode = team.normalize(c.req.param("teamCode") ?? "");
  if (!TEAM_CODE.test(teamCode)) return httpError(c, 404, "TEAM_NOT_FOUND", "No team with that code.");
  c.set("teamCode", teamCode);
  await next();
};

const questIdParam: MiddlewareHandler = async (c, next) => {
  if (!QUEST_ID.test(c.req.param("questId") ?? "")) return httpError(c, 400, "BAD_QUEST_ID", "Quest ids are 1-64 characters of A-Z a-z 0-9 _ -.");
  await next();
};

const questBody = jsonBody(questDefinitionSchema, {
  code: "BAD_QUEST",
  // The URL names the quest; a body without questId takes it from there.
  prepare: (value, c) => (value && typeof value === "object" ? { questId: c.req.param("questId"), ...value } : value),
  message: ([first]) => (first ? `Invalid quest at ${first.path || "(root)"}: ${first.message}` : "Invalid quest."),
});

const tags = ["quest"];
const teamAnswer = z.object({
  teamCode: z.string(),
  session: z.object({ sessionId: z.string(), playerName: z.string(), mode: z.enum(["solo", "team"]) }),
  websocketUrl: z.string().describe("`wss://<host>/ws/quest`: open it with `?teamCode=`"),
});
const snapshot = z.record(z.string(), z.unknown()).describe("The session as this caller sees it (src/systems/quest/README.md).");
/** Seed 000's own error envelope, which the runtime routes keep. */
const questError = z.object({ success: z.literal(false), error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const questRefusal = (description: string) => ({ description: `${description} (seed 000's envelope)`, schema: questError });

/** What each route answers (/openapi.json, /docs). */
const doc = {
  putQuest: describeRoute({
    summary: "Store a quest definition",
    tags,
    responses: { 200: { description: "Stored", schema: z.object({ questId: z.string(), objects: z.number().int() }) } },
    errors: { 400: ["BAD_QUEST_ID"] },
  }),
  createTeam: describeRoute({
    summary: "Create a team for a quest",
    description: "The caller is the team's first member. The quest definition is copied into the session.",
    tags,
    responses: { 201: { description: "Created", schema: teamAnswer } },
    errors: { 404: ["QUEST_NOT_FOUND"], 429: ["RATE_LIMITED"], 503: ["NO_TEAM_CODE"] },
  }),
  joinTeam: describeRoute({
    summary: "Join a team by its code",
    tags,
    responses: { 200: { description: "Joined", schema: teamAnswer } },
    errors: { 404: ["TEAM_NOT_FOUND", "ROOM_NOT_FOUND"], 409: ["TEAM_FULL", ANY_RULE], 429: ["RATE_LIMITED"] },
  }),
  events: describeRoute({
    summary: "Send runtime events to a session",
    description: "One event, or `{events: [...]}` (an atomic batch). Player tokens act as themselves; services (scope `events:publish`) name `playerId`.",
    tags,
    body: z.union([runtimeEventSchema, batchSchema, batchSchema.omit({ type: true })]),
    idempotent: true,
    responses: {
      200: { description: "Applied", schema: z.object({ success: z.literal(true), snapshot, deltas: z.array(z.record(z.string(), z.unknown())), ...seqEpoch }) },
      400: questRefusal("`BAD_COMMAND` (zod issues in `details`), `PLAYER_ID_REQUIRED`, `NODE_KIND_MISMATCH`"),
      403: questRefusal("`FORBIDDEN`, `NOT_ON_TEAM`"),
      404: questRefusal("`ROOM_NOT_FOUND`, `UNKNOWN_OBJECT`, `UNKNOWN_NODE`"),
      409: questRefusal("A rule rejection (src/systems/quest/README.md)"),
      422: questRefusal("`IDEMPOTENCY_KEY_REUSED`"),
      429: questRefusal("`RATE_LIMITED`"),
    },
  }),
  snapshot: describeRoute({
    summary: "A session's snapshot",
    tags,
    responses: { 200: { description: "The session", schema: z.object({ success: z.literal(true), snapshot, ...seqEpoch }) } },
    errors: { 404: ["ROOM_NOT_FOUND"] },
  }),
  socket: describeRoute({
    summary: "A team's socket",
    tags,
    frames: "Quest runtime (seed 000)",
    query: z.object({ teamCode: z.string().describe("The team's code (case-insensitive).") }),
    responses: {},
    errors: { 403: [ANY_RULE], 404: ["ROOM_NOT_FOUND"] },
  }),
};

/**
 * The quest runtime (seed 000): quest definitions, team registration with
 * codes, runtime events over HTTP, the snapshot, and the team socket.
 */
export const questRoutes = new Hono<{ Bindings: Env }>()
  .put("/api/quests/:questId", doc.putQuest, requireAuth({ scope: SCOPES.admin }), questIdParam, questBody, async (c) => {
    const questId = c.req.param("questId");
    const quest = c.get("body").value;
    if (quest.questId !== questId) return httpError(c, 400, "BAD_QUEST", "Body questId must match the URL.");
    await c.env.DIRECTORY.prepare(
      "INSERT INTO quests (quest_id, definition, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (quest_id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
      .bind(questId, JSON.stringify(quest), Date.now(), c.get("claims").sub)
      .run();
    return c.json({ questId, objects: quest.objects.length }, 200);
  })
  .post("/api/teams", doc.createTeam, requireAuth(), teamsBudget, jsonBody(createTeam, { message: "Team request is not valid." }), async (c) => {
    const { questId, mode, playerName } = c.get("body").value;
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
      config: { questId, definition: JSON.parse(row.definition), mode, players: [{ playerId: sub, playerName }] },
      createdBy: sub,
    });
    if (!created.ok) return roomErrorResponse(c, created);
    return c.json({ teamCode, session: { sessionId: teamCode, playerName, mode }, websocketUrl: socketUrl(c.req.url, "/ws/quest") }, 201);
  })
  .post("/api/teams/:teamCode/join", doc.joinTeam, requireAuth(), teamsBudget, teamCodeParam, jsonBody(joinTeam, { message: "Join request is not valid." }), async (c) => {
    const teamCode = c.get("teamCode");
    const { playerName } = c.get("body").value;
    const found = await c.env.DIRECTORY.prepare("SELECT mode FROM team_codes WHERE team_code = ?").bind(teamCode).first<{ mode: string }>();
    if (!found) return httpError(c, 404, "TEAM_NOT_FOUND", "No team with that code.");
    const out = await roomStub(c.env, roomName(teamCode)).submit(WORKER_ACTOR, { type: "REGISTER_PLAYER", playerId: c.get("claims").sub, playerName });
    if (!out.ok) return roomErrorResponse(c, out);
    return c.json({ teamCode, session: { sessionId: teamCode, playerName, mode: found.mode }, websocketUrl: socketUrl(c.req.url, "/ws/quest") });
  })
  .post("/api/runtime/session/:sessionId/events", doc.events, session, jsonBody(z.unknown()), async (c) => {
    const { stub, actor } = c.get("room");
    const body = c.get("body");
    const idem = await idempotencyOptions(c, body.text);
    if (!idem.ok) return idem.response;
    const out = await stub.submit(actor, body.value, { ...idem.options, withView: true });
    // Seed 000's envelope ({success: false, error}), with the headers every Hearth error carries (429: Retry-After).
    if (!out.ok) return c.json({ success: false, error: { code: out.code, message: out.message, ...(out.details === undefined ? {} : { details: out.details }) } }, statusOf(out) as 400, errorHeaders(statusOf(out)));
    const deltas = (out.result as { deltas?: unknown[] } | null)?.deltas ?? [];
    return c.json({ success: true, snapshot: out.view, deltas, seq: out.seq, epoch: out.epoch }, 200, out.replayed ? { "Idempotent-Replayed": "true" } : {});
  })
  .get("/api/runtime/session/:sessionId", doc.snapshot, session, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, "quest");
    if (!snap.ok) return roomErrorResponse(c, snap);
    return c.json({ success: true, snapshot: snap.state, seq: snap.seq, epoch: snap.epoch });
  })
  .get(
    "/ws/quest",
    doc.socket,
    roomAccess({ ...team, query: "teamCode", upgrade: true, invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "No such team." } }),
    upgradeToRoom({ kind: "quest", compression: "context" }),
  );
