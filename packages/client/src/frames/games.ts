/** Turn-based game rooms (`/ws/games`, seed 004, src/systems/games). Types only. */
import type { IsoTime, Sequenced } from "./common.js";

export type RoomStatus = "Waiting" | "InProgress" | "Finished" | "Abandoned";
/** User ids go out as numbers when they are numeric, else as strings (games/wire.ts `wireId`). */
export type WireId = number | string;

export interface GamePlayer {
  user_id: WireId;
  username: string;
  avatar_id: null;
  score: number;
  is_ready: boolean;
  joined_at: IsoTime | null;
  is_connected: boolean;
}

/** games/wire.ts `toGameRoom`. */
export interface GameRoom {
  room_id: string;
  room_name: string;
  game_type: string;
  status: RoomStatus;
  host_id: WireId;
  players: GamePlayer[];
  spectators: WireId[];
  current_turn: WireId | null;
  turn_number: number;
  created_at: IsoTime | null;
  started_at: IsoTime | null;
  finished_at: IsoTime | null;
  winner_id: WireId | null;
  max_players: number;
  spectator_names: string[];
}

/** Client -> server (games/lobbyCommands.ts `LobbyCommand`, plus the bigger_dice move). */
export type GamesClientFrame =
  | { type: "auth" | "ping" | "list_rooms" }
  | { type: "create_room"; game_type: string; room_name: string }
  | { type: "join_room"; room_name: string }
  | { type: "leave_room" | "rejoin_room" | "ready" | "spectate" | "leave_spectate" | "bigger_dice.roll"; room_id: string };

type Typed<T extends string, F> = { type: T } & F & Sequenced & { [field: string]: unknown };

/** Server -> client, as PROTOCOLS.md section 6 names them; fields beyond those listed are left open. */
export type GamesServerFrame =
  | Typed<"room_created" | "room_joined" | "room_state", { room: GameRoom }>
  | Typed<"room_list", { rooms: unknown[] }>
  | Typed<"player_left" | "player_rejoined" | "player_ready" | "spectator_joined" | "spectator_left", object>
  | Typed<"game_started", { room_id: string; players: GamePlayer[]; first_turn: WireId }>
  | Typed<"turn_changed", { room_id: string; current_turn: WireId | null; turn_number: number }>
  | Typed<"game_ended", { winner_id: WireId | null; winner_username: string | null; final_scores: unknown }>
  | Typed<"bigger_dice.rolled", { room_id: string; player_id: WireId; player_username: string; roll: number; new_score: number }>
  | Typed<"bigger_dice.round_result", { player1_id: WireId; player1_roll: number; player2_id: WireId; player2_roll: number; winner_id: WireId | null; is_tie: boolean }>
  | Typed<"error", { code: string; message: string; socket_id?: string }>
  | Typed<"pong", object>;
