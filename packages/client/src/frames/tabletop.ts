/** Tabletop sessions (`/ws/game/:session_id`, seed 002, src/systems/tabletop). Frames are `{event, data}`. Types only. */
import type { IsoTime, Sequenced } from "./common.js";

export interface TabletopPlayer {
  user_id: string;
  username: string;
  character_id?: string;
  character_name?: string;
  is_dm: boolean;
  connected_at: IsoTime;
}

type Event<E extends string, D> = { event: E; data: D } & Sequenced;

/** Client -> server. `dm_narration`, `turn_change`, `combat_update` are DM-only. */
export type TabletopClientFrame =
  | Event<"join_room", { character_id?: string; character_name?: string }>
  | Event<"leave_room", Record<string, never>>
  | Event<"chat_message", { message: string }>
  | Event<"dice_roll", { formula: string; [field: string]: unknown }>
  | Event<"dm_narration", { narration: string }>
  | Event<"player_action", { action_type: string; details?: unknown }>
  | Event<"turn_change", { turn: unknown }>
  | Event<"combat_update", { combat: unknown }>
  | Event<"whisper", { to: string; message: string }>
  | Event<"ping", { timestamp?: unknown }>;

/** Server -> client. `combat`/`turn` are the server's combat view (src/systems/tabletop/combat.ts), left open here. */
export type TabletopServerFrame =
  | Event<"room_joined", { session_id: string | number; campaign_id: string; player: TabletopPlayer; players: TabletopPlayer[]; combat: unknown; turn: unknown }>
  | Event<"room_left", { session_id: string | number }>
  | Event<"player_list", { players: TabletopPlayer[]; total_players: number }>
  | Event<"player_joined" | "player_left", { player: TabletopPlayer; total_players: number }>
  | Event<"chat_message", { player: TabletopPlayer; message: string; timestamp: IsoTime }>
  | Event<"dm_narration", { narration: string; player: TabletopPlayer; timestamp: IsoTime }>
  | Event<"player_action", { player: TabletopPlayer; action_type: string; details?: unknown; timestamp: IsoTime; [field: string]: unknown }>
  | Event<"dice_roll", { formula: string; result: number; rolls: number[]; modifier: number; player: TabletopPlayer; timestamp: IsoTime; [field: string]: unknown }>
  | Event<"whisper", { [field: string]: unknown }>
  | Event<"turn_change", { turn: unknown; timestamp: IsoTime }>
  | Event<"combat_update", { combat: unknown; timestamp: IsoTime }>
  | Event<"history", { entries: Record<string, unknown>[] }>
  | Event<"error", { message: string; code?: string }>
  | Event<"pong", { timestamp: unknown; server_time: IsoTime }>;
