import { z } from "zod";
import { hearthError, type HearthError } from "../../core/hearthError.ts";
import { objectName } from "../../core/objectName.ts";
import { applied, reject, type ApplyResult, type CommandKind, type Emit, type KindCtx } from "../../core/kind.ts";
import { lobbyCommand, type LobbyCommand } from "./lobbyCommands.ts";
import { gameTypes } from "./gameTypes.ts";
import { changedSummary, summaryOf } from "./gameSummary.ts";
import { toGame, type PersonMsg, type ToLobby } from "./messages.ts";
import { isOpen, toGamePlayer, toGameRoom, wireId, type PlayerRecord, type RoomRecord } from "./wire.ts";

export const GAME_KIND = "games.game";

/** The object a game lives in; only its lobby ever addresses it. */
export const gameObjectName = (roomId: string) => objectName("game", roomId);

export const gameConfig = z.object({
  room_id: z.string().min(1).max(64),
  room_name: z.string().min(1).max(64),
  game_type: z.string().refine((t) => gameTypes.has(t), "unknown game type"),
  /** The lobby object's name: the only sender this game accepts and the one it answers. */
  lobby: z.string().min(1).max(200),
  abandon_after_ms: z.number().int().min(1).max(7 * 24 * 3_600_000),
  /** Games created before turn timeouts: 60 s, the lobby's default. */
  turn_timeout_ms: z.number().int().min(1).max(24 * 3_600_000).default(60_000),
  host: z.object({ userId: z.string().min(1).max(200), username: z.string().max(200) }),
});
type GameConfig = z.infer<typeof gameConfig>;

export interface GameState {
  room: RoomRecord;
  /** The game type's own state while InProgress (and after, for the record). */
  game: unknown;
  /** When the abandonment timer fires (every player disconnected), or null. */
  abandonAt: number | null;
  /** When the disconnected player whose turn it is runs out of time (turn_timeout_ms), or null; absent in older games. */
  turnDeadline?: number | null;
}

interface Out {
  body: Record<string, unknown>;
  /** Only these users; otherwise the room (players and spectators). */
  to?: string[];
}
/** `wakeAt`: set only where a wake-up decides its own next timer; otherwise answer() derives it from the clocks. */
type Done = { state: GameState; frames: Out[]; wakeAt?: number | null };
type Step = Done | HearthError;

/** A rule said no (game types and steps answer HearthError or a plain result). */
const refused = (x: object): x is HearthError => (x as { ok?: unknown }).ok === false;
const cfg = (ctx: KindCtx) => ctx.config as GameConfig;
const typeOf = (room: RoomRecord) => gameTypes.get(room.gameType)!;
const playerOf = (room: RoomRecord, userId: string) => room.players.find((p) => p.userId === userId);
const isSpectator = (room: RoomRecord, userId: string) => room.spectators.some((s) => s.userId === userId);

const roomState = (state: GameState, userId: string): Out => ({
  body: { type: "room_state", room_id: state.room.roomId, room: toGameRoom(state.room, typeOf(state.room).maxPlayers) },
  to: [userId],
});

const event = (room: RoomRecord, type: string, who: PersonMsg): Out => ({ body: { type, room_id: room.roomId, user_id: wireId(who.userId), username: who.username } });

/**
 * One game room (seed 004) in its own Durable Object, `game:<room_id>`: its
 * players, spectators, turns, scores, log and abandonment timer. It has no
 * sockets. Its lobby forwards the players' commands as messages (once, in
 * order) and it answers with one message per change: the frames for the
 * room's players and spectators and, when membership or status changed, the
 * room's summary. Its own log keeps every room-wide frame.
 */
export const gameKind: CommandKind<GameState, LobbyCommand> = {
  name: GAME_KIND,
  config: gameConfig,
  /**
   * [S6] The room's commands from sockets that follow the game (their gateway routes each frame
   * with this room's `room_id` here, lobby.route): a roll touches this object and its members'
   * gateways, never the lobby. The same rules as a command the lobby hands on.
   */
  command: lobbyCommand,
  apply(state, c, ctx) {
    if (!("room_id" in c) || c.room_id !== state.room.roomId) return reject("ROOM_NOT_FOUND", "No open room has this id.", 404);
    const step = command(state, { userId: ctx.actor.userId, username: ctx.actor.name }, c as { type: string } & Record<string, unknown>, ctx);
    if (refused(step)) {
      // With an id: the error frame carrying it, and the room, as when the lobby hands a command on ([P14]).
      if (ctx.commandId !== undefined && ctx.connId !== null) {
        const error = { code: step.code, message: step.message, extra: { room_id: state.room.roomId } };
        return applied(state, [], { pending: true, answers: [{ userId: ctx.actor.userId, connId: ctx.connId, id: ctx.commandId, error }] });
      }
      return applied(state, [], { replies: [{ type: "error", code: step.code, message: step.message, socket_id: ctx.connId, room_id: state.room.roomId }] });
    }
    return answer(state, step, ctx);
  },
  sockets: {
    groupsOf: (state, actor) => (memberIds(state.room).has(actor.userId) ? [MEMBERS] : []),
    // Its sockets follow it over their lobby connection: seed 004 has no snapshot frame.
    snapshotOnJoin: false,
  },
  init(config, ctx) {
    const c = config as GameConfig;
    const host: PlayerRecord = { ...c.host, score: 0, isReady: false, joinedAt: ctx.now, connected: true };
    return {
      room: {
        roomId: c.room_id,
        roomName: c.room_name,
        gameType: c.game_type,
        status: "Waiting",
        hostId: c.host.userId,
        players: [host],
        spectators: [],
        currentTurn: null,
        turnNumber: 0,
        createdAt: ctx.now,
        startedAt: null,
        finishedAt: null,
        winnerId: null,
      },
      game: null,
      abandonAt: null,
    };
  },
  view: (state) => toGameRoom(state.room, typeOf(state.room).maxPlayers),
  receive(state, message, ctx) {
    // Only this game's own lobby may drive it (a hostile object can't, and two lobbies never share a game).
    if (message.from !== cfg(ctx).lobby) return reject("NOT_MY_LOBBY", `This game belongs to ${cfg(ctx).lobby}.`, 403);
    const parsed = toGame.safeParse(message.body);
    if (!parsed.success) return reject("BAD_MESSAGE", "The lobby's message is not valid.", 400);
    const msg = parsed.data;
    switch (msg.op) {
      case "open": {
        // The host's socket follows the game from its start: its first frame (room_state) is replayed to it.
        const follow = msg.conn ? { userId: state.room.hostId, conn: msg.conn, since: ctx.head, epoch: ctx.epoch } : undefined;
        return answer(state, { state, frames: [roomState(state, state.room.hostId)] }, ctx, undefined, undefined, follow);
      }
      case "gone":
        return answer(state, gone(state, msg.user, ctx), ctx);
      case "cmd": {
        const step = command(state, msg.user, msg.command, ctx);
        const refusedJoin = msg.command.type === "join_room" ? msg.user.userId : undefined;
        // A command with an id is answered to its socket: the ack, or the error carrying the id ([P5], [P14]).
        const to = msg.id !== undefined && msg.conn !== null ? { userId: msg.user.userId, conn: msg.conn, id: msg.id } : undefined;
        if (refused(step)) {
          if (to) return answer(state, { state, frames: [] }, ctx, refusedJoin, { ...to, error: { code: step.code, message: step.message } });
          // The sender may not follow this game: its lobby relays the error to it.
          const error = { body: { type: "error", code: step.code, message: step.message, socket_id: msg.conn, room_id: state.room.roomId }, to: [msg.user.userId] };
          return answer(state, { state, frames: [] }, ctx, refusedJoin, undefined, undefined, [error]);
        }
        return answer(state, step, ctx, undefined, to, msg.conn ? followOf(step.state, msg.user.userId, msg.conn, msg.command, ctx) : undefined);
      }
    }
  },
  wake(state, ctx) {
    const { room } = state;
    const deadline = state.turnDeadline ?? null;
    if (deadline !== null && ctx.now >= deadline) {
      const timedOut = turnTimedOut({ ...state, turnDeadline: null }, ctx);
      return answer(state, { ...timedOut, wakeAt: nextWake(timedOut.state) }, ctx);
    }
    if (state.abandonAt === null || ctx.now < state.abandonAt) return applied(state, [], { wakeAt: nextWake(state) });
    if (!isOpen(room.status) || room.players.some((p) => p.connected)) {
      const kept = { ...state, abandonAt: null };
      return applied(kept, [], { wakeAt: nextWake(kept) });
    }
    const next: GameState = { ...state, abandonAt: null, turnDeadline: null, room: { ...room, status: "Abandoned", finishedAt: ctx.now, currentTurn: null } };
    return answer(state, { state: next, frames: [{ body: { type: "room_state", room_id: room.roomId, room: toGameRoom(next.room, typeOf(room).maxPlayers) } }], wakeAt: null }, ctx);
  },
};

/** The game's one timer serves both clocks: the earlier of abandonment and the turn deadline. */
function nextWake(state: GameState): number | null {
  const times = [state.abandonAt, state.turnDeadline ?? null].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * The turn deadline after a change: set when the player whose turn it is is disconnected
 * while someone else is connected to play on (kept if it was already running), else none.
 * Everyone gone is the abandonment timer's case.
 */
function withTurnClock(state: GameState, ctx: KindCtx): GameState {
  const { room } = state;
  const current = room.status === "InProgress" && room.currentTurn !== null ? playerOf(room, room.currentTurn) : undefined;
  const due = !!current && !current.connected && room.players.some((p) => p.connected);
  const deadline = due ? (state.turnDeadline ?? ctx.now + cfg(ctx).turn_timeout_ms) : null;
  return deadline === (state.turnDeadline ?? null) ? state : { ...state, turnDeadline: deadline };
}

/** The absent player's time ran out: the game type's rule applies (forfeit: the connected player wins). */
function turnTimedOut(state: GameState, ctx: KindCtx): Done {
  const { room } = state;
  const absent = room.currentTurn === null ? undefined : playerOf(room, room.currentTurn);
  if (room.status !== "InProgress" || !absent || absent.connected) return { state, frames: [] };
  // typeOf(room).turnTimeout is "forfeit", the only rule so far.
  const winner = room.players.find((p) => p.userId !== absent.userId && p.connected) ?? room.players.find((p) => p.userId !== absent.userId);
  const ended = withRoom(state, { status: "Finished", finishedAt: ctx.now, winnerId: winner?.userId ?? null, currentTurn: null });
  return { state: { ...ended, abandonAt: null, turnDeadline: null }, frames: [gameEnded(ended.room, "timeout")] };
}

/**
 * [S6] A member's socket follows the game from the cursor its command gave (`rejoin_room` or
 * `spectate` with `since` and `epoch`), else from before this command: what the command caused is
 * replayed to it, then everything after arrives live. Not a member: nothing to follow.
 */
function followOf(state: GameState, userId: string, conn: string, c: Record<string, unknown>, ctx: KindCtx): ToLobby["follow"] {
  if (!playerOf(state.room, userId) && !isSpectator(state.room, userId)) return undefined;
  const cursor = typeof c.since === "number" && typeof c.epoch === "string" ? { since: c.since, epoch: c.epoch } : { since: ctx.head, epoch: ctx.epoch };
  return { userId, conn, ...cursor };
}

/** Who sees the room's frames: its players and spectators, now ([S6]; the game's sockets follow it over their lobby connection). */
const MEMBERS = "members";
const memberIds = (room: RoomRecord) => new Set([...room.players, ...room.spectators].map((p) => p.userId));

/**
 * Every frame of the game goes to its own log (with the game's seq, so a dropped socket resumes
 * from it) and to the sockets that follow the game: room-wide frames to its members (and to who
 * just left, who still hears that they did), personal ones to their user. One message back to
 * the lobby per change: the room's summary when it changed, the settled command, the socket to follow.
 */
function answer(before: GameState, raw: Done, ctx: KindCtx, refusedJoin?: string, settles?: ToLobby["answer"], follow?: ToLobby["follow"], relay: Out[] = []): ApplyResult<GameState> {
  // Any change may start or stop the turn clock; the timer follows whichever clock is due first.
  const clocked = raw.wakeAt === undefined ? withTurnClock(raw.state, ctx) : raw.state;
  const wakeAt = raw.wakeAt !== undefined ? raw.wakeAt : nextWake(clocked) !== nextWake(before) ? nextWake(clocked) : undefined;
  const step: Done = { state: clocked, frames: raw.frames, ...(wakeAt === undefined ? {} : { wakeAt }) };
  const summaryChanged = changedSummary(before.room, step.state.room);
  // [S8] A socket on the gateway this game lives in (its creator's, and usually its players')
  // follows it from here: the lobby isn't asked to push the follow back to the same object.
  const here = follow && ctx.holds?.(follow.conn) ? follow : undefined;
  const viaLobby = here ? undefined : follow;
  const body: ToLobby = {
    op: "events",
    room_id: before.room.roomId,
    frames: relay,
    ...(summaryChanged ? { summary: summaryOf(step.state.room) } : {}),
    ...(refusedJoin ? { refusedJoin } : {}),
    ...(settles ? { answer: settles } : {}),
    ...(viaLobby ? { follow: viaLobby } : {}),
  };
  // The same summary is the same members: nobody departed (a roll).
  const after = summaryChanged ? memberIds(step.state.room) : null;
  const departed = after ? [...memberIds(before.room)].filter((u) => !after.has(u)) : [];
  const emits: Emit[] = step.frames.map((f) => (f.to ? { body: f.body, to: f.to } : { body: f.body, groups: [MEMBERS], ...(departed.length ? { to: departed } : {}) }));
  // The lobby hears only what it needs: a summary, a settled command, a socket to follow, a refusal to relay.
  const tell = summaryChanged || refusedJoin || settles || viaLobby || relay.length > 0;
  return applied(step.state, emits, {
    ...(tell ? { effects: [{ to: cfg(ctx).lobby, body: body as unknown as Record<string, unknown> }] } : {}),
    ...(here ? { follows: [{ userId: here.userId, connId: here.conn, stream: gameObjectName(before.room.roomId), since: here.since, epoch: here.epoch }] } : {}),
    ...(step.wakeAt === undefined ? {} : { wakeAt: step.wakeAt }),
  });
}

const withRoom = (state: GameState, room: Partial<RoomRecord>): GameState => ({ ...state, room: { ...state.room, ...room } });

function command(state: GameState, user: PersonMsg, c: { type: string } & Record<string, unknown>, ctx: KindCtx): Step {
  const { room } = state;
  const me = playerOf(room, user.userId);
  switch (c.type) {
    case "join_room": {
      if (me) return reject("ALREADY_IN_ROOM", "You are already a player in this room.");
      if (room.status !== "Waiting") return reject("GAME_ALREADY_STARTED", "This game has already started; you can spectate it.");
      if (room.players.length >= typeOf(room).maxPlayers) return reject("ROOM_FULL", "This room has no free seat.");
      const player: PlayerRecord = { ...user, score: 0, isReady: false, joinedAt: ctx.now, connected: true };
      const next = withRoom(state, { players: [...room.players, player], spectators: room.spectators.filter((s) => s.userId !== user.userId) });
      return {
        state: next,
        frames: [{ body: { type: "room_joined", room_id: room.roomId, room_name: room.roomName, player: toGamePlayer(player) } }, roomState(next, user.userId)],
      };
    }
    case "leave_room":
      if (!me) return reject("NOT_IN_ROOM", "You are not a player in this room.");
      return leave(state, me, ctx);
    case "rejoin_room": {
      if (!me) return reject("NOT_IN_ROOM", "You were not a player in this room.");
      const next = withRoom(state, { players: room.players.map((p) => (p === me ? { ...p, connected: true } : p)) });
      return { state: { ...next, abandonAt: null }, frames: [event(room, "player_rejoined", me), roomState(next, me.userId)] };
    }
    case "ready": {
      if (!me) return notAPlayer(room, user);
      if (room.status !== "Waiting") return reject("GAME_ALREADY_STARTED", "The game has already started.");
      if (me.isReady) return reject("ALREADY_READY", "You are already ready.");
      const next = withRoom(state, { players: room.players.map((p) => (p === me ? { ...p, isReady: true } : p)) });
      const frames: Out[] = [event(room, "player_ready", me)];
      const type = typeOf(room);
      if (next.room.players.length < type.maxPlayers || !next.room.players.every((p) => p.isReady)) return { state: next, frames };
      const { game, firstTurn } = type.start(next.room.players, ctx);
      const started = { ...withRoom(next, { status: "InProgress", startedAt: ctx.now, currentTurn: firstTurn, turnNumber: 1 }), game };
      frames.push(
        { body: { type: "game_started", room_id: room.roomId, players: started.room.players.map(toGamePlayer), first_turn: wireId(firstTurn) } },
        turnChanged(started.room),
      );
      return { state: started, frames };
    }
    case "spectate": {
      if (me) return reject("ALREADY_IN_ROOM", "Players can't spectate their own room.");
      if (isSpectator(room, user.userId)) return reject("ALREADY_SPECTATING", "You are already watching this room.");
      const next = withRoom(state, { spectators: [...room.spectators, user] });
      return { state: next, frames: [event(room, "spectator_joined", user), roomState(next, user.userId)] };
    }
    case "leave_spectate":
      if (!isSpectator(room, user.userId)) return reject("NOT_SPECTATING", "You are not watching this room.");
      return { state: withRoom(state, { spectators: room.spectators.filter((s) => s.userId !== user.userId) }), frames: [event(room, "spectator_left", user)] };
    default:
      return move(state, me, user, c, ctx);
  }
}

/** A game command (`bigger_dice.roll`): only a player, only while the game runs, then the game type decides. */
function move(state: GameState, me: PlayerRecord | undefined, user: PersonMsg, c: { type: string } & Record<string, unknown>, ctx: KindCtx): Step {
  const { room } = state;
  const type = typeOf(room);
  if (!(c.type in type.commands)) return reject("WRONG_GAME_TYPE", `This room plays ${room.gameType}; ${c.type} is not one of its moves.`, 400);
  if (!me) return notAPlayer(room, user);
  if (room.status !== "InProgress" || room.currentTurn === null) return reject("GAME_NOT_IN_PROGRESS", "The game is not running.");
  const m = type.act(state.game, { roomId: room.roomId, players: room.players, currentTurn: room.currentTurn, turnNumber: room.turnNumber }, c, me.userId, ctx);
  if (refused(m)) return m;
  const players = room.players.map((p) => ({ ...p, score: m.scores[p.userId] ?? p.score }));
  if (m.winner !== undefined) {
    const ended = { ...withRoom(state, { players, status: "Finished", finishedAt: ctx.now, winnerId: m.winner, currentTurn: null }), game: m.game };
    return { state: ended, frames: [...m.frames.map((body) => ({ body })), gameEnded(ended.room)] };
  }
  const next = { ...withRoom(state, { players, currentTurn: m.currentTurn, turnNumber: m.turnNumber }), game: m.game };
  return { state: next, frames: [...m.frames.map((body) => ({ body })), turnChanged(next.room)] };
}

function notAPlayer(room: RoomRecord, user: PersonMsg): HearthError {
  return isSpectator(room, user.userId)
    ? hearthError("SPECTATOR_CANNOT_ACT", "Spectators can't act in the game.", 403)
    : hearthError("NOT_IN_ROOM", "You are not a player in this room.", 403);
}

/** Leaving a waiting room frees the seat (the last one out abandons it); leaving a running game forfeits it. */
function leave(state: GameState, me: PlayerRecord, ctx: KindCtx): Step {
  const { room } = state;
  const left = event(room, "player_left", me);
  if (room.status === "InProgress") {
    const winner = room.players.find((p) => p.userId !== me.userId) ?? me;
    const ended = withRoom(state, { status: "Finished", finishedAt: ctx.now, winnerId: winner.userId, currentTurn: null });
    return { state: { ...ended, abandonAt: null }, frames: [left, gameEnded(ended.room, "forfeit")] };
  }
  const players = room.players.filter((p) => p !== me);
  if (players.length === 0) {
    const gone = withRoom(state, { players, status: "Abandoned", finishedAt: ctx.now });
    return { state: { ...gone, abandonAt: null }, frames: [left] };
  }
  // Nobody is ready to start against someone new.
  const rest = players.map((p) => ({ ...p, isReady: false }));
  const next = withRoom(state, { players: rest, hostId: room.hostId === me.userId ? rest[0]!.userId : room.hostId });
  // The one who left may have been the last one connected: then the room waits for a rejoin, not forever.
  if (rest.some((p) => p.connected) || state.abandonAt !== null) return { state: next, frames: [left] };
  return abandonLater(next, [left], ctx);
}

/** Every player is gone: the room is Abandoned unless one of them rejoins within abandon_after_ms. */
function abandonLater(state: GameState, frames: Out[], ctx: KindCtx): Done {
  const abandonAt = ctx.now + cfg(ctx).abandon_after_ms;
  return { state: { ...state, abandonAt }, frames };
}

/** A user's last lobby socket closed: a player is shown disconnected (and the abandonment clock may start); a spectator stops watching. */
function gone(state: GameState, user: PersonMsg, ctx: KindCtx): Done {
  const { room } = state;
  const me = playerOf(room, user.userId);
  if (!me) {
    if (!isSpectator(room, user.userId)) return { state, frames: [] };
    return { state: withRoom(state, { spectators: room.spectators.filter((s) => s.userId !== user.userId) }), frames: [event(room, "spectator_left", user)] };
  }
  if (!me.connected || !isOpen(room.status)) return { state, frames: [] };
  const next = withRoom(state, { players: room.players.map((p) => (p === me ? { ...p, connected: false } : p)) });
  const frames = [event(room, "player_disconnected", me)];
  if (next.room.players.some((p) => p.connected)) return { state: next, frames };
  return abandonLater(next, frames, ctx);
}

const turnChanged = (room: RoomRecord): Out => ({
  body: { type: "turn_changed", room_id: room.roomId, current_turn: room.currentTurn === null ? null : wireId(room.currentTurn), turn_number: room.turnNumber },
});

function gameEnded(room: RoomRecord, reason: "won" | "forfeit" | "timeout" = "won"): Out {
  const winner = playerOf(room, room.winnerId ?? "");
  return {
    body: {
      type: "game_ended",
      room_id: room.roomId,
      winner_id: winner ? wireId(winner.userId) : null,
      winner_username: winner?.username ?? null,
      final_scores: room.players.map((p) => [wireId(p.userId), p.username, p.score]),
      reason,
    },
  };
}
