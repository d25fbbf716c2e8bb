import type { Keyed } from "../../core/keyedRecord.ts";
import type { Summary } from "./messages.ts";

/** An open room as the lobby mirrors it: enough to list it, find it by name and route its frames. */
export interface LobbyRoom extends Summary {
  roomId: string;
  roomName: string;
  gameType: string;
  createdAt: number;
}

/** Seed 004's `room_created`, as the list's audiences get it. */
export type RoomCreated = { type: "room_created"; room_id: string; room_name: string; game_type: string; host_id: string | number; host_username: string };

/** A room as `room_list` and `rooms_updated` show it (the seed's "room summaries"). */
export interface RoomSummary {
  room_id: string;
  room_name: string;
  game_type: string;
  status: Summary["status"];
  host_id: string | number;
  host_username: string;
  players: { user_id: string | number; username: string }[];
  player_count: number;
  max_players: number;
  spectator_count: number;
  created_at: string;
}

/**
 * The lobby's records are Keyed ([P10], core/keyedRecord.ts): changed with withEntries, read with
 * entryOf and valuesOf (own keys only: a room id or user id such as `constructor` or `__proto__`
 * is never found on a prototype), so a change costs O(change) at any lobby size.
 */
export interface LobbyState {
  /** Open rooms (Waiting, InProgress) by id; a room that ends leaves the lobby. */
  rooms: Keyed<LobbyRoom>;
  /** userId -> the room they hold (or asked for) a player's seat in: one seat at a time. */
  seats: Keyed<string>;
  /** Room summaries changed since the last lobby-wide push (latest wins), and when that push is due. */
  changed: Keyed<RoomSummary>;
  /**
   * `room_created` frames the list's audiences get with the next push (its host got it at once),
   * by room: a lobby creating rooms by the dozen sends each gateway one push for them all, not
   * one each. Absent in lobbies saved before it existed.
   */
  announce?: Keyed<RoomCreated>;
  /**
   * The rooms the browsing users were shown (joinable at the last push): the connect snapshot
   * lists these, and a push tells the browsers about a room only while it is or was in this
   * view (lobbyList.ts). Absent in lobbies saved before it existed: their first push tells the
   * browsers every change, as before.
   */
  shown?: Keyed<true>;
  /** Users who asked `list_rooms` since their first socket connected: they hear every list change. */
  listing?: Keyed<true>;
  /**
   * Open rooms by name (lower case) -> room id: a `create_room` or `join_room` finds a name without
   * a walk over every open room. Absent in lobbies saved before it existed (built at their next
   * `create_room`).
   */
  names?: Keyed<string>;
  pushAt: number | null;
  /** No push before this (list pacing after the last one); absent in lobbies saved before it existed. */
  quietUntil?: number;
}
