/**
 * The seed's data types (seed 004: GameRoom, GamePlayer, RoomStatus) as JSON,
 * and the one place internal records become them. Internally every user id is
 * the token's `sub` (a string); on the wire a numeric `sub` is a number, as the
 * seed's i64 ids are, so an existing client comparing ids keeps working.
 */

/** RoomStatus, serialized as the Rust enum's variant names. */
export type RoomStatus = "Waiting" | "InProgress" | "Finished" | "Abandoned";

/** Open rooms are listed, joinable or watchable, and hold their name. */
export const isOpen = (status: RoomStatus) => status === "Waiting" || status === "InProgress";

export type WireId = number | string;

/** `"123"` -> 123 (the seed's i64), anything else stays a string. */
export function wireId(userId: string): WireId {
  return /^(0|[1-9]\d{0,14})$/.test(userId) ? Number(userId) : userId;
}

/** A player as the game object keeps it. */
export interface PlayerRecord {
  userId: string;
  username: string;
  score: number;
  isReady: boolean;
  joinedAt: number;
  /** False between a dropped socket and `rejoin_room` (Hearth's `is_connected`). */
  connected: boolean;
}

export interface Person {
  userId: string;
  username: string;
}

/** The game object's room record; `toGameRoom` renders it as the seed's GameRoom. */
export interface RoomRecord {
  roomId: string;
  roomName: string;
  gameType: string;
  status: RoomStatus;
  hostId: string;
  players: PlayerRecord[];
  spectators: Person[];
  currentTurn: string | null;
  turnNumber: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  winnerId: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** GamePlayer: `avatar_id` is always null (no token claim carries it, and a frame's never counts). */
export function toGamePlayer(p: PlayerRecord) {
  return {
    user_id: wireId(p.userId),
    username: p.username,
    avatar_id: null,
    score: p.score,
    is_ready: p.isReady,
    joined_at: iso(p.joinedAt),
    is_connected: p.connected,
  };
}

/** GameRoom, every field of the seed's struct, plus `max_players` and `spectator_names`. */
export function toGameRoom(r: RoomRecord, maxPlayers: number) {
  return {
    room_id: r.roomId,
    room_name: r.roomName,
    game_type: r.gameType,
    status: r.status,
    host_id: wireId(r.hostId),
    players: r.players.map(toGamePlayer),
    spectators: r.spectators.map((s) => wireId(s.userId)),
    current_turn: r.currentTurn === null ? null : wireId(r.currentTurn),
    turn_number: r.turnNumber,
    created_at: iso(r.createdAt),
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    winner_id: r.winnerId === null ? null : wireId(r.winnerId),
    max_players: maxPlayers,
    spectator_names: r.spectators.map((s) => s.username),
  };
}
