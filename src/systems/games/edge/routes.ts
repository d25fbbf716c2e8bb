import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Env } from "../../../http/env.ts";
import { roomErrorResponse } from "../../../http/middleware/httpError.ts";
import { describeRoute } from "../../../http/openapi/routeDocs.ts";
import { roomAccess, type RoomAccessVars } from "../../../http/middleware/roomAccess.ts";
import { upgradeToRoom } from "../../../http/upgradeToRoom.ts";
import { LOBBY_KIND, lobbyObjectName } from "../lobbyKind.ts";

/** `?lobby=<shard>` picks a lobby object (tests and shards); one lobby, `main`, by default. */
const lobby = (upgrade: boolean) =>
  roomAccess({ query: "lobby", normalize: (raw) => raw || "main", name: lobbyObjectName, upgrade, invalid: { status: 400, code: "BAD_LOBBY", message: "Lobby names are 1-64 characters of A-Z a-z 0-9 _ -." } });

/** The lobby exists from its first visitor on (an existing one, with its config, is kept as it is). */
const ensureLobby: MiddlewareHandler<{ Bindings: Env; Variables: RoomAccessVars }> = async (c, next) => {
  const { name, stub } = c.get("room");
  const made = await stub.create({ roomId: name, name, kind: LOBBY_KIND, config: {}, createdBy: "hearth" });
  if (!made.ok && made.code !== "ROOM_EXISTS") return roomErrorResponse(c, made);
  await next();
};

const tags = ["games"];
const lobbyQuery = z.object({ lobby: z.string().optional().describe("The lobby shard (default `main`).") });

/** What each route answers (/openapi.json, /docs). */
const doc = {
  socket: describeRoute({
    summary: "The games socket: browse, play, watch",
    description: "The token may also come in a `token` cookie. A socket silent for 40 s (no frame, no `ping`) is closed 4000.",
    tags,
    frames: "Games lobby and rooms (seed 004)",
    query: lobbyQuery,
    responses: {},
  }),
  rooms: describeRoute({
    summary: "The open game rooms",
    tags,
    query: lobbyQuery,
    responses: { 200: { description: "Their summaries (src/systems/games/README.md)", schema: z.object({ rooms: z.array(z.record(z.string(), z.unknown())) }) } },
  }),
};

/**
 * Seed 004's games page: one socket, `/ws/games` (token as `?token=`, a `token` cookie or the
 * `bearer.<jwt>` subprotocol), for browsing, playing and watching; `GET /api/games/rooms` lists
 * the open rooms over HTTP.
 */
export const gamesRoutes = new Hono<{ Bindings: Env }>()
  .get("/ws/games", doc.socket, lobby(true), ensureLobby, upgradeToRoom({ kind: LOBBY_KIND }))
  .get("/api/games/rooms", doc.rooms, lobby(false), ensureLobby, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, LOBBY_KIND);
    return snap.ok ? c.json(snap.state) : roomErrorResponse(c, snap);
  });
