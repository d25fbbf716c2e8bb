import { z } from "zod";
import { hostedRoomOf, objectName, ROOM_ID } from "../../core/objectName.ts";
import { applied, reject, type Actor, type Answer, type ApplyResult, type Effect, type Emit, type CommandKind, type KindCtx } from "../../core/kind.ts";
import { GAME_KIND, gameObjectName } from "./gameKind.ts";
import { entryOf, hasEntry, keyedFrom, keysOf, valuesOf, withEntries, type Keyed } from "../../core/keyedRecord.ts";
import { audienceSizes, browsersView, BROWSING, byAge, LISTING, listPush, roomList, roomSummary } from "./lobbyList.ts";
import type { LobbyRoom, LobbyState, RoomCreated, RoomSummary } from "./lobbyState.ts";
import { gameTypes } from "./gameTypes.ts";
import { lobbyCommand, type LobbyCommand } from "./lobbyCommands.ts";
import { toLobby, type PersonMsg, type Summary } from "./messages.ts";
import { isOpen, wireId } from "./wire.ts";

export const LOBBY_KIND = "games.lobby";

/** Sockets per gateway object of a lobby ([S6]): 1,000 games of 3 sockets spread over 30. */
export const GATEWAY_SOCKETS = 100;
/** Frames only the lobby answers, whatever they carry. */
const LOBBY_ONLY = new Set(["auth", "ping", "list_rooms", "create_room", "join_room"]);

/** The lobby object for a shard name (`/ws/games?lobby=`; `main` by default). */
export const lobbyObjectName = (shard: string) => objectName("games:lobby", shard);

/** Seed 004: a 30 s ping period plus 10 s grace. */
export const IDLE_TIMEOUT_MS = 40_000;

export const lobbyConfig = z.object({
  /** How long a game whose players all dropped waits for one of them before it is Abandoned. */
  abandon_after_ms: z.number().int().min(1).max(7 * 24 * 3_600_000).default(120_000),
  /**
   * Room changes (seats, started, ended, abandoned) reach the browsing sockets as one
   * `rooms_updated` frame at most this often: a push costs one send per browsing socket, so
   * it is batched instead of being sent per change. 0 pushes each change at once.
   */
  list_push_ms: z.number().int().min(0).max(60_000).default(500),
  /**
   * At most about this many room summaries per second in `rooms_updated` to each browsing socket:
   * after a push of n summaries the next one waits n / this seconds (if longer than
   * list_push_ms), so a lobby of a thousand busy rooms batches more instead of flooding its
   * browsers. Changes are never dropped: a room changed twice meanwhile is sent once, as it is now.
   */
  list_summaries_per_sec: z.number().int().min(1).max(100_000).default(200),
  /**
   * At most about this many list entries (a summary in `rooms_updated`, a `room_created`) a
   * second to all the list's sockets together: after a push the next waits (each audience's
   * entries x its online users, lobbyList.ts) / this seconds (if longer than the two above). The list then costs the lobby's
   * server a bounded share whatever the lobby's size: a thousand-game lobby, with hundreds of
   * users between games, batches more (a room changed twice meanwhile goes once) instead of
   * sending more than the games themselves do. Nothing is dropped.
   */
  list_sends_per_sec: z.number().int().min(1).max(10_000_000).default(2_000),
  /**
   * How long the player whose turn it is may stay disconnected (their last lobby socket closed,
   * or closed by the 40 s heartbeat rule) before the game type's turn-timeout rule applies.
   */
  turn_timeout_ms: z.number().int().min(1).max(24 * 3_600_000).default(60_000),
});
type LobbyConfig = z.infer<typeof lobbyConfig>;

export type { LobbyRoom, LobbyState, RoomSummary } from "./lobbyState.ts";
export { BROWSING, LISTING, roomSummary } from "./lobbyList.ts";

const ROOM_GROUP = "room:";
const group = (roomId: string) => `${ROOM_GROUP}${roomId}`;
const person = (a: Actor): PersonMsg => ({ userId: a.userId, username: a.name });
const members = (r: LobbyRoom | undefined) => new Set([...(r?.players ?? []), ...(r?.spectators ?? [])].map((p) => p.userId));

/**
 * Who is in which room's group, per rooms record (a state that moved only seats or the pending
 * list shares it): the core asks for a reader's groups on fan-out. Built once, then carried from
 * one record to the next as a room changes (carryIndex): a Keyed record too, so carrying it costs
 * the users who moved, not a copy of every user's entry.
 */
type GroupIndex = Keyed<readonly string[]>;
const groupIndex = new WeakMap<LobbyState["rooms"], GroupIndex>();
function indexOf(rooms: LobbyState["rooms"]): GroupIndex {
  let index = groupIndex.get(rooms);
  if (!index) {
    const built = new Map<string, string[]>();
    for (const r of valuesOf(rooms)) for (const u of members(r)) built.set(u, [...(built.get(u) ?? []), group(r.roomId)]);
    groupIndex.set(rooms, (index = keyedFrom<readonly string[]>(built)));
  }
  return index;
}
/** `next` is `prev` with room `roomId`'s members changed from `before` to `after`: its index from prev's, if prev had one. */
function carryIndex(prev: LobbyState["rooms"], next: LobbyState["rooms"], roomId: string, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
  const old = groupIndex.get(prev);
  if (!old) return;
  const g = group(roomId);
  const moves: [string, readonly string[] | undefined][] = [];
  for (const u of before) {
    if (after.has(u)) continue;
    const rest = (entryOf(old, u) ?? []).filter((x) => x !== g);
    moves.push([u, rest.length ? rest : undefined]);
  }
  for (const u of after) if (!before.has(u)) moves.push([u, [...(entryOf(old, u) ?? []), g]]);
  groupIndex.set(next, moves.length ? withEntries(old, moves) : old);
}
const BROWSERS: readonly string[] = [BROWSING];
const LISTERS: readonly string[] = [LISTING];
/** A user's rooms' groups; in no room, the list's audience they are in (lobbyList.ts). */
function groupsOf(state: LobbyState, actor: Actor): readonly string[] {
  return entryOf(indexOf(state.rooms), actor.userId) ?? (state.listing && hasEntry(state.listing, actor.userId) ? LISTERS : BROWSERS);
}

/**
 * The games lobby (seed 004): the one object every `/ws/games` socket of a
 * shard lives in. It owns the room list, room names and who holds which seat,
 * creates game objects and forwards each player's room command to that room's
 * game object as a message (exactly once, in order). Each game answers with a
 * message, and the lobby fans its frames out to that room's group (its players
 * and spectators, from this state), so no frame of one game reaches another
 * game's sockets. List changes go to the users in no room (lobbyList.ts): those who
 * asked `list_rooms` hear every change, the others the joinable rooms' changes; both as
 * `room_created` and `rooms_updated`, batched into one push every `list_push_ms`.
 */
export const lobbyKind: CommandKind<LobbyState, LobbyCommand> = {
  name: LOBBY_KIND,
  command: lobbyCommand,
  config: lobbyConfig,
  // A player may roll every turn, so the per-socket budget is above the default 10/s; still far
  // below what would let one socket crowd the lobby.
  // Sockets live on gateways of GATEWAY_SOCKETS each ([S6]): a game's frames go from its object to
  // its members' gateways, and a roll never passes through the lobby.
  limits: { idleTimeoutMs: IDLE_TIMEOUT_MS, maxConnections: 20_000, ratePerSec: 20, rateBurst: 40, socketsPerObject: GATEWAY_SOCKETS },
  init: () => ({ rooms: {}, seats: {}, changed: {}, shown: {}, listing: {}, names: {}, pushAt: null }),
  // [P10] A room's change writes its row, not the whole list (~400 B a room, rewritten per lobby input before).
  keyedFields: ["rooms", "seats", "changed", "announce", "shown", "listing", "names"],
  view: (state) => ({ rooms: roomList(state) }),
  apply(state, c, ctx) {
    const me = ctx.actor;
    switch (c.type) {
      case "ping":
        return applied(state, [], { replies: [{ type: "pong" }] });
      case "auth":
        // Accepted and answered; identity was settled by the token, and a frame's user_id changes nothing.
        return applied(state, [], { replies: [{ type: "authenticated", user_id: wireId(me.userId), username: me.name, socket_id: ctx.connId }] });
      case "list_rooms": {
        // Asking for the whole list is asking to hear its changes too, until the user's last socket closes.
        const reply = { replies: [{ type: "room_list", rooms: roomList(state) }] };
        if (state.listing && hasEntry(state.listing, me.userId)) return applied(state, [], reply);
        return applied({ ...state, listing: withEntries(state.listing ?? {}, [[me.userId, true]]) }, [], reply);
      }
      case "create_room":
        return create(state, c as Extract<LobbyCommand, { type: "create_room" }>, ctx);
      case "join_room": {
        const name = (c as { room_name: string }).room_name;
        const room = byName(state, name);
        if (!room) return reject("ROOM_NOT_FOUND", `No open room is named "${name}".`, 404);
        const seat = entryOf(state.seats, me.userId);
        if (seat !== undefined && seat !== room.roomId) return reject("ALREADY_IN_ROOM", "You already have a seat in another room; leave it first.");
        // The seat is claimed now so a second join can't race this one; the game's refusal releases it.
        return forward({ ...state, seats: withEntries(state.seats, [[me.userId, room.roomId]]) }, room.roomId, c, ctx);
      }
      default: {
        const roomId = (c as { room_id: string }).room_id;
        if (!entryOf(state.rooms, roomId)) return reject("ROOM_NOT_FOUND", "No open room has this id.", 404);
        return forward(state, roomId, c, ctx);
      }
    }
  },
  sockets: {
    groupsOf,
    // A room's frames visit its members' sockets, not every lobby socket (3,000 at 1,000 games).
    // The listing users are in the state; a browser is anyone else in no room, so BROWSING can't be listed.
    membersOf: (state, g) => (g.startsWith(ROOM_GROUP) ? [...members(entryOf(state.rooms, g.slice(ROOM_GROUP.length)))] : g === LISTING ? keysOf(state.listing ?? {}) : undefined),
    gatewaysOnly: true,
    // A connecting socket's snapshot: the joinable rooms the browsers were shown, and how many are open.
    joinView: browsersView,
    // Seed 004's heartbeat, answered by the socket's gateway ([S7]): 3,000 sockets pinging every
    // 30 s would otherwise be 100 lobby inputs a second that change nothing.
    heartbeat: { ping: JSON.stringify({ type: "ping" }), pong: JSON.stringify({ type: "pong" }) },
    // A frame about a room goes straight to that room's game when the socket follows it ([S6]).
    route: (frame) => {
      const f = frame as { type?: unknown; room_id?: unknown } | null;
      if (!f || typeof f.room_id !== "string" || typeof f.type !== "string" || LOBBY_ONLY.has(f.type) || !ROOM_ID.test(f.room_id)) return null;
      return gameObjectName(f.room_id);
    },
    presence(state, change) {
      if (change.kind !== "leave") return applied(state);
      // Every room the user is in hears that their last socket closed: players show as disconnected, spectators stop watching.
      // (The group index knows their rooms: no walk over every room per close.)
      const effects: Effect[] = groupsOf(state, change.actor)
        .filter((g) => g.startsWith(ROOM_GROUP))
        .map((g) => ({ to: gameObjectName(g.slice(ROOM_GROUP.length)), body: { op: "gone", user: person(change.actor) } }));
      // A user who asked for the whole list stops hearing it: a socket that comes back asks again.
      const listing = state.listing && hasEntry(state.listing, change.actor.userId) ? withEntries(state.listing, [[change.actor.userId, undefined]]) : undefined;
      return applied(listing ? { ...state, listing } : state, [], { effects });
    },
  },
  wake(state, ctx) {
    // The rooms announced since the last push and still open, oldest first.
    const created = valuesOf(state.announce ?? {})
      .map((f) => ({ f, room: entryOf(state.rooms, f.room_id) }))
      .filter((c): c is { f: RoomCreated; room: LobbyRoom } => c.room !== undefined)
      .sort((a, b) => byAge(a.room, b.room))
      .map((c) => c.f);
    const { state: pushed, emits, sends, most } = pushList(state, created, valuesOf(state.changed), ctx);
    const { list_summaries_per_sec: perSocket = 200, list_sends_per_sec: total = 2_000 } = ctx.config as Partial<LobbyConfig>;
    const quiet = Math.max(most / perSocket, sends / total) * 1000;
    return applied({ ...pushed, changed: {}, announce: {}, pushAt: null, quietUntil: ctx.now + Math.ceil(quiet) }, emits);
  },
  receive(state, message, ctx) {
    const parsed = toLobby.safeParse(message.body);
    if (!parsed.success) return reject("BAD_MESSAGE", "The game's message is not valid.", 400);
    const m = parsed.data;
    // Only a room's own game object speaks for it.
    if (hostedRoomOf(message.from) !== gameObjectName(m.room_id)) return reject("NOT_THIS_GAME", `${message.from} does not host ${m.room_id}.`, 403);
    const before = entryOf(state.rooms, m.room_id);
    let next = state;
    const emits: Emit[] = [];
    let wakeAt: number | undefined;
    if (m.summary && before) {
      next = mirror(state, before, m.summary);
      const room = roomSummary({ ...before, ...m.summary });
      const every = (ctx.config as LobbyConfig).list_push_ms ?? 500;
      if (every === 0) {
        const now = pushList(next, [], [room], ctx);
        next = now.state;
        emits.push(...now.emits);
      } else {
        next = { ...next, changed: withEntries(next.changed, [[m.room_id, room]]) };
        if (next.pushAt === null) wakeAt = next.pushAt = Math.max(ctx.now + every, next.quietUntil ?? 0);
      }
    }
    if (m.refusedJoin && entryOf(next.seats, m.refusedJoin) === m.room_id && !entryOf(next.rooms, m.room_id)?.players.some((p) => p.userId === m.refusedJoin)) {
      next = { ...next, seats: withEntries(next.seats, [[m.refusedJoin, undefined]]) };
    }
    // Who just left the room (or the room itself ended) still hears the frame that says so.
    const after = members(entryOf(next.rooms, m.room_id));
    const departed = [...members(before)].filter((u) => !after.has(u));
    const roomFrames: Emit[] = m.frames.map((f) =>
      f.to ? { body: f.body, to: f.to, log: false } : { body: f.body, groups: [group(m.room_id)], ...(departed.length ? { to: departed } : {}), log: false },
    );
    // The sender's ack (or error with its id) after the frames its command caused.
    const a = m.answer;
    const answers: Answer[] = a
      ? [{ userId: a.userId, connId: a.conn, id: a.id, ...(a.error ? { error: { ...a.error, extra: { room_id: m.room_id } } } : {}) }]
      : [];
    // [S6] The sender's socket follows the game (from the cursor the game gave).
    const follows = m.follow ? [{ userId: m.follow.userId, connId: m.follow.conn, stream: message.from, since: m.follow.since, epoch: m.follow.epoch }] : [];
    // The room's own frames first, then the lobby-wide change they caused.
    return applied(next, [...roomFrames, ...emits], { ...(wakeAt === undefined ? {} : { wakeAt }), ...(answers.length ? { answers } : {}), ...(follows.length ? { follows } : {}) });
  },
};

/** What an open room's name is unique by: its letters in lower case (a name asked for is trimmed first). */
const nameKey = (roomName: string) => roomName.toLowerCase();

function byName(state: LobbyState, name: string): LobbyRoom | undefined {
  const id = entryOf(namesOf(state), nameKey(name.trim()));
  return id === undefined ? undefined : entryOf(state.rooms, id);
}

/** The open rooms by name; a lobby saved before the index existed builds it from its rooms (once: then it is kept). */
function namesOf(state: LobbyState): Keyed<string> {
  return state.names ?? keyedFrom(valuesOf(state.rooms).map((r) => [nameKey(r.roomName), r.roomId] as const));
}

function create(state: LobbyState, c: { game_type: string; room_name: string }, ctx: KindCtx): ApplyResult<LobbyState> {
  const me = ctx.actor;
  const type = gameTypes.get(c.game_type);
  if (!type) return reject("UNKNOWN_GAME_TYPE", `No game named ${c.game_type}; try ${[...gameTypes.keys()].join(", ")}.`, 400);
  if (byName(state, c.room_name)) return reject("ROOM_NAME_TAKEN", `An open room is already named "${c.room_name}".`);
  if (entryOf(state.seats, me.userId) !== undefined) return reject("ALREADY_IN_ROOM", "You already have a seat in another room; leave it first.");
  let roomId: string;
  do roomId = `room_${Math.floor(ctx.random() * 36 ** 6).toString(36)}${Math.floor(ctx.random() * 36 ** 6).toString(36)}`;
  while (entryOf(state.rooms, roomId));
  const host = person(me);
  const room: LobbyRoom = { roomId, roomName: c.room_name, gameType: type.name, createdAt: ctx.now, status: "Waiting", host, players: [host], spectators: [], maxPlayers: type.maxPlayers };
  const config = { room_id: roomId, room_name: c.room_name, game_type: type.name, lobby: ctx.roomId, abandon_after_ms: (ctx.config as LobbyConfig).abandon_after_ms ?? 120_000, turn_timeout_ms: (ctx.config as LobbyConfig).turn_timeout_ms ?? 60_000, host };
  const rooms = withEntries(state.rooms, [[roomId, room]]);
  carryIndex(state.rooms, rooms, roomId, new Set(), members(room));
  const body: RoomCreated = { type: "room_created", room_id: roomId, room_name: c.room_name, game_type: type.name, host_id: wireId(me.userId), host_username: me.name };
  const next: LobbyState = { ...state, rooms, seats: withEntries(state.seats, [[me.userId, roomId]]), names: withEntries(namesOf(state), [[nameKey(c.room_name), roomId]]) };
  // [S8] The game lives in the gateway that holds its creator's socket: when its players and
  // spectators sit there too (they usually connected together), a roll is one object's event.
  const effects: Effect[] = [{ to: gameObjectName(roomId), body: { op: "open", conn: ctx.connId }, create: { kind: GAME_KIND, config }, host: "sender" }];
  const every = (ctx.config as LobbyConfig).list_push_ms ?? 500;
  // list_push_ms 0: to the list's audiences at once, and to its host.
  if (every === 0) {
    const now = pushList(next, [body], [], ctx);
    return applied(now.state, [{ body, to: [me.userId] }, ...now.emits], { effects });
  }
  // Its host (seated by this very command) at once; the browsers with the next list push.
  next.announce = withEntries(state.announce ?? {}, [[roomId, body]]);
  const wakeAt = next.pushAt === null ? (next.pushAt = Math.max(ctx.now + every, next.quietUntil ?? 0)) : undefined;
  return applied(next, [{ body, to: [me.userId] }], { effects, ...(wakeAt === undefined ? {} : { wakeAt }) });
}

/**
 * One list push (lobbyList.ts) applied to the state: the browsers' view moves with it. `sends` is
 * what it costs all its sockets together, `most` the entries one socket gets at most.
 */
function pushList(state: LobbyState, created: readonly RoomCreated[], changed: readonly RoomSummary[], ctx: KindCtx) {
  const index = indexOf(state.rooms);
  const online = audienceSizes(state, ctx.online, (u) => hasEntry(index, u));
  const push = listPush(state, created, changed, online.listing > 0);
  return {
    state: { ...state, shown: push.shown },
    emits: push.emits,
    sends: push.entries.browsing * online.browsing + push.entries.listing * online.listing,
    most: Math.max(online.browsing ? push.entries.browsing : 0, online.listing ? push.entries.listing : 0),
  };
}

/** A room command goes to its game, with who sent it (from the token) and from which socket. */
function forward(state: LobbyState, roomId: string, c: LobbyCommand, ctx: KindCtx): ApplyResult<LobbyState> {
  // A command with an id is not applied until its game applies it: no ack now, the game's answer carries it back.
  const answerable = ctx.commandId !== undefined && ctx.connId !== null;
  const body = { op: "cmd", user: person(ctx.actor), conn: ctx.connId, command: c, ...(answerable ? { id: ctx.commandId } : {}) };
  return applied(state, [], { effects: [{ to: gameObjectName(roomId), body }], ...(answerable ? { pending: true as const } : {}) });
}

/**
 * The game's new summary: update the mirror, move seats, and drop the room once it is over.
 * withEntries ([P10]): the commit writes this room's row and these seats, not a walk over all.
 */
function mirror(state: LobbyState, before: LobbyRoom, s: Summary): LobbyState {
  const open = isOpen(s.status);
  // Seats move only when players do (a join, a leave, the end): a ready or a spectator copies nothing.
  const seated = new Set(open ? s.players.map((p) => p.userId) : []);
  const moves = [
    ...before.players.filter((p) => !seated.has(p.userId) && entryOf(state.seats, p.userId) === before.roomId).map((p) => [p.userId, undefined] as const),
    ...[...seated].filter((u) => entryOf(state.seats, u) !== before.roomId).map((u) => [u, before.roomId] as const),
  ];
  const seats = moves.length ? withEntries(state.seats, moves) : state.seats;
  const rooms = withEntries(state.rooms, [[before.roomId, open ? { ...before, ...s } : undefined]]);
  carryIndex(state.rooms, rooms, before.roomId, members(before), members(entryOf(rooms, before.roomId)));
  // A room that ended frees its name.
  const key = nameKey(before.roomName);
  const names = !open && state.names && entryOf(state.names, key) === before.roomId ? withEntries(state.names, [[key, undefined]]) : state.names;
  return { ...state, rooms, seats, ...(names ? { names } : {}) };
}
