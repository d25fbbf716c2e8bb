import { defineSystem } from "../../core/system.ts";
import { typeCodec } from "../../protocol/typeCodec.ts";
import { gameKind } from "./gameKind.ts";
import { lobbyKind } from "./lobbyKind.ts";
import { gamesRoutes } from "./edge/routes.ts";

/** Seed 004's frames: `{type, ...}`, Hearth's error frames carrying `socket_id`. */
const codec = typeCodec({ name: "games", connIdField: "socket_id" });

/** The lobby every `/ws/games` socket lives in. */
export const gamesLobbySystem = defineSystem({
  name: lobbyKind.name,
  kind: lobbyKind,
  codec,
  routes: gamesRoutes,
  // One lobby lists every open game; a game room itself is reached through the lobby's socket.
  href: () => "/api/games/rooms",
  description: "Games lobby (seed 004): one socket to list, create, join, ready, play and spectate turn-based game rooms.",
});

/** One game room per object (`game:<room_id>`), driven by its lobby through the outbox. */
export const gamesGameSystem = defineSystem({
  name: gameKind.name,
  kind: gameKind,
  codec,
  description: "One turn-based game room (seed 004: bigger_dice): players, turns, scores, its log and abandonment timer.",
});
