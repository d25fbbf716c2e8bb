import { Hono, type MiddlewareHandler } from "hono";
import type { Env } from "../../../http/env.ts";
import { roomErrorResponse } from "../../../http/middleware/httpError.ts";
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

/**
 * Seed 004's games page: one socket, `/ws/games` (token as `?token=`, a `token` cookie or the
 * `bearer.<jwt>` subprotocol), for browsing, playing and watching; `GET /api/games/rooms` lists
 * the open rooms over HTTP.
 */
export const gamesRoutes = new Hono<{ Bindings: Env }>()
  .get("/ws/games", lobby(true), ensureLobby, upgradeToRoom({ kind: LOBBY_KIND }))
  .get("/api/games/rooms", lobby(false), ensureLobby, async (c) => {
    const { stub, actor } = c.get("room");
    const snap = await stub.snapshot(actor, LOBBY_KIND);
    return snap.ok ? c.json(snap.state) : roomErrorResponse(c, snap);
  });
