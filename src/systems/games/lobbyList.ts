import type { Actor, Emit } from "../../core/kind.ts";
import { entryOf, hasEntry, keyedFrom, valuesOf, withEntries, type Keyed } from "../../core/keyedRecord.ts";
import type { LobbyRoom, LobbyState, RoomCreated, RoomSummary } from "./lobbyState.ts";
import { wireId } from "./wire.ts";

/**
 * The lobby list's two audiences, among the users in no open room (a seated player or a spectator
 * is shown its game, not the list):
 * - LISTING: users who asked `list_rooms` since their first socket connected. They hear every
 *   change to the whole list: each `room_created`, and each changed room in `rooms_updated`.
 * - BROWSING: everyone else. They hear the view their connect snapshot showed, the joinable rooms
 *   (Waiting, a seat free), kept current: `room_created` for a room still joinable at the push, and
 *   in `rooms_updated` a room while it is or was in that view, so a room that fills, starts or
 *   ends leaves it once, with the summary that says why. A room created and filled between two
 *   pushes is never shown to them.
 * A list change costs its sends to its audience: a busy lobby's browsers between games (hundreds
 * at a thousand games) hear about the few rooms they could join, not about every game's start and
 * end, which only the users who asked for the whole list pay for.
 */
export const BROWSING = "browsing";
export const LISTING = "listing";

/** A room a browsing user could join now: the connect snapshot's view. */
export const joinable = (r: LobbyRoom) => r.status === "Waiting" && r.players.length < r.maxPlayers;
const isJoinable = (state: LobbyState, id: string) => {
  const room = entryOf(state.rooms, id);
  return room !== undefined && joinable(room);
};

/** A room as `room_list` and `rooms_updated` show it (the seed's "room summaries"). */
export function roomSummary(r: LobbyRoom): RoomSummary {
  return {
    room_id: r.roomId,
    room_name: r.roomName,
    game_type: r.gameType,
    status: r.status,
    host_id: wireId(r.host.userId),
    host_username: r.host.username,
    players: r.players.map((p) => ({ user_id: wireId(p.userId), username: p.username })),
    player_count: r.players.length,
    max_players: r.maxPlayers,
    spectator_count: r.spectators.length,
    created_at: new Date(r.createdAt).toISOString(),
  };
}

/** Oldest first, as rooms were created (a Keyed record's own order is its buckets'). */
export const byAge = (a: LobbyRoom, b: LobbyRoom) => a.createdAt - b.createdAt || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0);
const summaryByAge = (a: RoomSummary, b: RoomSummary) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.room_id < b.room_id ? -1 : a.room_id > b.room_id ? 1 : 0);

/** The list as `room_list` shows it, built once per rooms record (every list_rooms reads it). */
const lists = new WeakMap<LobbyState["rooms"], RoomSummary[]>();
export function roomList(state: LobbyState): RoomSummary[] {
  let list = lists.get(state.rooms);
  if (!list) lists.set(state.rooms, (list = valuesOf(state.rooms).sort(byAge).map(roomSummary)));
  return list;
}

/**
 * What a connecting socket's snapshot shows: the browsers' view (the rooms shown at the last push,
 * as they are now) and how many rooms are open. The whole list at every connect would cost
 * O(rooms) per socket (300 KB each at 1,000 rooms); rooms created since the last push reach the
 * socket with the next one, as they reach every browser.
 */
export function browsersView(state: LobbyState): { rooms: RoomSummary[]; open_rooms: number } {
  const all = roomList(state);
  const shown = state.shown;
  // (A lobby saved before the view existed shows every joinable room, as listPush starts it.)
  const inView = shown ? (id: string) => hasEntry(shown, id) : (id: string) => isJoinable(state, id);
  return { rooms: all.filter((r) => inView(r.room_id)), open_rooms: all.length };
}

/** How many online users hear each audience now (a user in a room hears neither). */
export function audienceSizes(state: LobbyState, online: readonly Actor[], seated: (userId: string) => boolean): { browsing: number; listing: number } {
  let browsing = 0;
  let listing = 0;
  for (const a of online) {
    if (seated(a.userId)) continue;
    if (state.listing && hasEntry(state.listing, a.userId)) listing++;
    else browsing++;
  }
  return { browsing, listing };
}

export interface ListPush {
  emits: Emit[];
  /** The browsers' view after this push. */
  shown: Keyed<true>;
  /** Entries (room_created frames and summaries) each audience gets: what the push costs per socket. */
  entries: { browsing: number; listing: number };
}

/**
 * One push of the list: `created` (the rooms announced since the last push, oldest first) and
 * `changed` (the summaries changed since, latest winning), to each audience what it hears. New
 * rooms first, then what changed: a user meets a room before its updates.
 *
 * `listers` false (no listing user online) leaves out the frames only they would get: a user
 * loses the mark when their last socket closes, so no one can come back for those frames, and
 * each would cost a log row and a look at every socket of the lobby. The browsers' frames are
 * always sent: a browser that drops resumes the list's stream with its cursor.
 */
export function listPush(state: LobbyState, created: readonly RoomCreated[], changed: readonly RoomSummary[], listers = true): ListPush {
  const before = state.shown;
  const now = (id: string) => isJoinable(state, id);
  // A lobby saved before the view existed: its browsers may hold any open room, so they hear every change once.
  const wasShown = (id: string) => (before ? hasEntry(before, id) : true);
  const browsersCreated = new Set(created.filter((c) => now(c.room_id)));
  const listed = [...changed].sort(summaryByAge);
  const browsersChanged = listed.filter((s) => wasShown(s.room_id) || now(s.room_id));
  const moves = new Map<string, true | undefined>();
  for (const id of [...created.map((c) => c.room_id), ...changed.map((s) => s.room_id)]) moves.set(id, now(id) ? true : undefined);
  // (An old lobby's view starts as every joinable room, which is what its snapshot showed.)
  const shown = before ? withEntries(before, moves) : keyedFrom(valuesOf(state.rooms).filter(joinable).map((r) => [r.roomId, true] as const));
  const emits: Emit[] = [];
  for (const c of created) {
    if (browsersCreated.has(c)) emits.push({ body: c, groups: [BROWSING, LISTING] });
    else if (listers) emits.push({ body: c, groups: [LISTING] });
  }
  const openRooms = roomList(state).length;
  if (listed.length) {
    if (browsersChanged.length === listed.length) emits.push({ body: { type: "rooms_updated", rooms: listed, open_rooms: openRooms }, groups: [BROWSING, LISTING] });
    else {
      if (listers) emits.push({ body: { type: "rooms_updated", rooms: listed, open_rooms: openRooms }, groups: [LISTING] });
      if (browsersChanged.length) emits.push({ body: { type: "rooms_updated", rooms: browsersChanged, open_rooms: openRooms }, groups: [BROWSING] });
    }
  }
  return { emits, shown, entries: { browsing: browsersCreated.size + browsersChanged.length, listing: created.length + listed.length } };
}
