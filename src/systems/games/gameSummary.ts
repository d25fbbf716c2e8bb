import { gameTypes } from "./gameTypes.ts";
import type { Summary } from "./messages.ts";
import type { RoomRecord } from "./wire.ts";

/** What a game tells its lobby about the room (seed 004's room list): who is in it and its status. */
export function summaryOf(room: RoomRecord): Summary {
  const host = room.players.find((p) => p.userId === room.hostId);
  return {
    status: room.status,
    host: { userId: room.hostId, username: host?.username ?? "" },
    players: room.players.map((p) => ({ userId: p.userId, username: p.username })),
    spectators: room.spectators,
    maxPlayers: gameTypes.get(room.gameType)!.maxPlayers,
  };
}

/**
 * Whether the lobby's summary of the room (summaryOf) differs between `a` and `b`: field by field,
 * not by encoding both on every roll (a roll moves scores and the turn, never the summary).
 */
export function changedSummary(a: RoomRecord, b: RoomRecord): boolean {
  if (a === b) return false;
  if (a.status !== b.status || a.hostId !== b.hostId || a.gameType !== b.gameType || a.players.length !== b.players.length) return true;
  if (a.players.some((p, i) => p.userId !== b.players[i]!.userId || p.username !== b.players[i]!.username)) return true;
  return a.spectators !== b.spectators && JSON.stringify(a.spectators) !== JSON.stringify(b.spectators);
}

