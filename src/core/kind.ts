import type { z } from "zod";
import { hearthError, type HearthError } from "./hearthError.ts";

/**
 * The contract between the Room core and a system's rules (its "kind"). A
 * kind is pure: no I/O, no clock, no Math.random. Everything
 * non-deterministic arrives in `ctx`, so a room's log replays to the same
 * state. Every hook gets the same context type, `KindCtx`.
 *
 * Imports point inwards: worker -> systems -> room -> core. Systems and the
 * room both import this file; it imports nothing of theirs.
 */

/** Who is acting. Built by the worker from a verified token; never from a frame. */
export interface Actor {
  /** Stable user id: the token's `sub`. */
  userId: string;
  name: string;
  /** Role inside this room (e.g. "dm", "player", "admin", "member", "spectator"). */
  role: string;
  /** True when the caller is a backend service: a token carrying one of Hearth's service scopes. */
  service: boolean;
  /** Hearth's service scopes the token carries (`events:publish`, `rooms:admin`); nothing else. */
  scopes: readonly string[];
}

/** The one context every hook receives. */
export interface KindCtx {
  /** Who acts: the sender, the viewer (view/welcome/admit), the joiner, or the core itself (timers, messages). */
  actor: Actor;
  /** The connection that sent this input, when it came over a socket; null otherwise. */
  connId: string | null;
  roomId: string;
  /** Milliseconds since epoch, fixed for the whole input. */
  now: number;
  /** Uniform [0,1), seeded from the room's seed and the input's seq: replayable. */
  random(): number;
  /** The room's configuration, as validated when it was created. Never copied into state. */
  config: Readonly<Record<string, unknown>>;
  /** Who is connected, one entry per user (not per socket). */
  online: readonly Actor[];
  /** The room's log before this input: its head seq and epoch (a cursor a follower resumes from, [S6]). Not for state. */
  head: number;
  epoch: string;
  /**
   * The socket command's client-chosen `id`, when it had one: only so a kind that hands a command
   * on (`pending`) can answer it later (`answers`). State must not depend on it (replay has none).
   */
  commandId?: string;
  /**
   * [S8] Whether the object this room lives in holds the socket `connId` (a gateway that hosts the
   * room): a follow of this room for it (Applied.follows) starts there, with no hop through the
   * room that owns the socket. Only for choosing where a follow is asked; state must not depend on
   * it (replay answers false).
   */
  holds?(connId: string): boolean;
}

/**
 * Who receives an emit, and who may read it back from replay and history.
 * Without `to` and `groups`, everyone. Otherwise the union of the users in
 * `to` and the current members of each of `groups` (see Kind.groupsOf).
 * Membership is read when a frame is delivered or read back, so a group can
 * gain and lose members while their sockets stay open.
 */
export interface Emit {
  body: Record<string, unknown>;
  /** User ids. */
  to?: readonly string[];
  /** Named groups the kind resolves with `groupsOf` (e.g. `game:7:spectators`). */
  groups?: readonly string[];
  /** Ephemeral: no seq, not stored, not replayed (e.g. position pings). */
  log?: false;
  /** Not delivered live to the connection that sent the input (its answer is a reply). */
  skipOrigin?: boolean;
}

/** A rule said no. The same value the core uses for its own errors. */
export type Rejection = HearthError;

/** A message to another object, kept in the sender's outbox until the receiver acknowledges it. */
export interface Effect {
  /** The receiving object's name (e.g. `game:r1`). */
  to: string;
  body: Record<string, unknown>;
  /** If the receiver does not exist yet, it is created with this kind and config first. */
  create?: CreateSpec;
  /**
   * [S8] Where a receiver this message creates lives. `"sender"`: inside the object that holds the
   * socket whose input this is, when that is a gateway, so that socket's frames for the receiver
   * (and those of everyone on the same gateway) are one object's event, with no hop. Later messages
   * to the same name go there too. Otherwise, and by default, the receiver is its own object.
   */
  host?: "sender";
}

/** How a receiver is created on its first message. */
export interface CreateSpec {
  kind: string;
  config: Record<string, unknown>;
}

export interface Applied<S> {
  ok: true;
  state: S;
  /** Broadcasts; each logged emit gets the next seq. */
  emits: Emit[];
  /** Frames for the originating socket only (never logged). */
  replies?: Record<string, unknown>[];
  /** What an HTTP caller gets back in the response body (kind-specific). */
  result?: unknown;
  /** Ask to be woken (Kind.wake) at this time; null cancels; undefined keeps what was asked before. */
  wakeAt?: number | null;
  /** Messages to other objects, committed with this change and delivered after it (the outbox). */
  effects?: Effect[];
  /**
   * A socket command the kind accepted but has not applied yet (it handed it on, e.g. to another
   * object through `effects`): no ack now ([P14]). The kind settles it later with `answers`.
   */
  pending?: true;
  /** Settles commands accepted earlier as `pending`: each one's socket gets its ack or its error ([P14]). */
  answers?: Answer[];
  /**
   * [S6] Sockets of this room (on gateways) that start following another room's stream over the
   * same connection: frames of that room reach them, and what they send for it goes straight there
   * (SocketFace.route). A socket that follows it already is left as it is.
   */
  follows?: Follow[];
}

/** [S6] One socket (by user and connection id) to follow the room `stream` (its object name) from `since` of `epoch`. */
export interface Follow {
  userId: string;
  connId: string;
  stream: string;
  /** Where its catch-up starts: the frames after `since` in `epoch` are replayed to it first. */
  since?: number;
  epoch?: string;
}

/**
 * The outcome of a `pending` socket command, for the one socket that sent it (by user and
 * connection id, as `ctx.actor.userId` and `ctx.connId` said then; gone: dropped). Without `error`
 * the socket gets the codec's ack (seq: the head after this input); with it, the codec's error
 * frame carrying `id`, `extra` and the connection id.
 */
export interface Answer {
  userId: string;
  connId: string;
  id: string;
  error?: { code: string; message: string; extra?: Record<string, unknown> };
}

export type ApplyResult<S> = Applied<S> | Rejection;

/** [W1] Which logged frames carry a whole document: their `type`s, the document's field, and the field naming its stream (one document per stream). */
export interface DocumentFrames {
  readonly types: readonly string[];
  readonly field: string;
  readonly stream: string;
}

/** A presence change the core detected: first socket of a user opened, or last one closed. */
export interface PresenceChange {
  kind: "join" | "leave";
  actor: Actor;
  /** Things the socket said when it connected (e.g. ?character_id=). */
  params: Readonly<Record<string, string>>;
}

/** What a kind needs to know about a socket when it connects. */
export interface ConnectInfo {
  actor: Actor;
  params: Readonly<Record<string, string>>;
}

/** A message from another object, delivered once (deduplicated by sender and sender seq). */
export interface Incoming {
  from: string;
  body: Record<string, unknown>;
}

/**
 * A kind: the transitions every kind has (init, view, and whichever of
 * commands, wake and receive drive it), plus an optional socket face. A kind
 * that takes no commands declares neither `command` nor `apply`; one that
 * holds no sockets declares no `sockets`; the core refuses what is absent
 * with a code, so nothing is stubbed.
 */
export type Kind<S, C extends { type: string }> = KindBase<S> & Commands<S, C>;

export interface KindBase<S> {
  readonly name: string;
  /** Validates the creation config (`POST` that creates a room). */
  readonly config?: z.ZodType<Record<string, unknown>>;
  /** Initial state of a freshly created room. */
  init(config: Readonly<Record<string, unknown>>, ctx: KindCtx): S;
  /** What `viewer` may see (ctx.actor is the viewer). Never puzzle answers, never whispers to others. */
  view(state: S, viewer: Actor, ctx: KindCtx): unknown;
  /** The timer asked for with `wakeAt` is due. Runs through the same pipeline as a command. */
  wake?(state: S, ctx: KindCtx): ApplyResult<S>;
  /** A message from another object's effects. Applied once, in the sender's order. */
  receive?(state: S, message: Incoming, ctx: KindCtx): ApplyResult<S>;
  /** Sockets: absent for a kind that holds none (a connect is refused NO_SOCKETS, close 4003). */
  readonly sockets?: SocketFace<S>;
  /** Who may send which command: checked once, by the pipeline's authorize stage (scopes.ts). */
  readonly authorize?: CommandAuth;
  /** Per-kind overrides of the room limits. */
  readonly limits?: Partial<RoomLimits>;
  /**
   * [P10] Top-level fields of the state that are records (id -> value) stored one row per key: a
   * commit writes the entries whose value changed (by reference: kinds never mutate) instead of
   * the whole state. For a state that grows with its users (a lobby's thousand rooms), where
   * each input changes one entry. A value that is not a plain object is stored inline.
   * Such a field is read back from storage as a KeyedRecord (keyedRecord.ts): type it `Keyed<T>`,
   * change it with withEntries and read it with entryOf / valuesOf, so a change is O(change) in
   * memory too.
   */
  readonly keyedFields?: readonly (keyof S & string)[];
}

/** Commands from sockets and HTTP: the schema and the rules together, or neither. */
export type Commands<S, C> = TakesCommands<S, C> | { readonly command?: undefined; apply?: undefined };

export interface TakesCommands<S, C> {
  /** Validates one decoded command (type + fields). Failures become BAD_COMMAND with zod issues. */
  readonly command: z.ZodType<C>;
  /** The rules. Must not mutate `state`. */
  apply(state: S, command: C, ctx: KindCtx): ApplyResult<S>;
}

/** A kind that takes commands (most do): its type says `command` and `apply` are there. */
export type CommandKind<S, C extends { type: string }> = KindBase<S> & TakesCommands<S, C>;

/** What a kind that holds sockets may add; every hook is optional. */
export interface SocketFace<S> {
  /** Presence hook: lets a kind record joins/leaves and emit PLAYER_JOINED etc. */
  presence?(state: S, change: PresenceChange, ctx: KindCtx): ApplyResult<S>;
  /** May this actor open a socket here (and read the room)? Return a rejection (close 4003) if not. */
  admit?(state: S, info: ConnectInfo, ctx: KindCtx): Rejection | null;
  /**
   * Extra frames sent to a socket right after its catch-up (the snapshot, or
   * the replay and its `recovered` marker) and before any live frame. The
   * user's presence join has already been applied to `state`. `recent` holds
   * the newest logged frames this viewer may see (oldest first, at most
   * `historyOnJoin`), already filtered by audience; it is empty after a
   * successful replay, which already delivered them.
   */
  welcome?(state: S, info: ConnectInfo, recent: readonly Record<string, unknown>[], ctx: KindCtx): Record<string, unknown>[];
  /** How many recent logged bodies `welcome` receives (default 0). */
  readonly historyOnJoin?: number;
  /** The groups `actor` belongs to now (Emit.groups). Pure; the core caches it per state. */
  groupsOf?(state: S, actor: Actor, ctx: KindCtx): readonly string[];
  /**
   * The users who may be in `group`, when the kind can list them without a walk (a game's
   * players and spectators): fan-out then visits only their sockets instead of every socket's
   * groups. It may list more users than are in the group (each is still checked with groupsOf),
   * never fewer. Undefined: every socket is asked. Pure.
   */
  membersOf?(state: S, group: string): readonly string[] | undefined;
  /**
   * [S6] Which followed stream a socket's frame is for (an object name), or null for this room.
   * Run by the gateway on each frame of a socket whose room declares it: a frame for a stream the
   * socket follows goes there directly; any other frame comes here. Pure.
   */
  route?(frame: unknown): string | null;
  /**
   * [S7] The protocol's own heartbeat (seed 004's `{"type":"ping"}`): a frame equal to `ping`,
   * byte for byte, is answered `pong` by the gateway that holds the socket and counts as life
   * for the idle rule; it never reaches the room. Other spellings go to the room as any frame.
   */
  readonly heartbeat?: { readonly ping: string; readonly pong: string };
  /**
   * False: a socket that connects without a cursor gets no snapshot frame (its protocol has none;
   * `welcome` says what it needs), and a followed stream's catch-up ends without `recovered`.
   */
  readonly snapshotOnJoin?: boolean;
  /**
   * What a connecting socket's snapshot shows, when that should be less than `view` (a lobby of
   * a thousand rooms shows the joinable ones and a count; the whole list is a command away).
   * Without it the snapshot is `view`. Pure; must not reveal more than `view` would.
   */
  joinView?(state: S, actor: Actor, ctx: KindCtx): unknown;
  /**
   * [W1] Frames that carry a whole document on every change: a socket that asked (`?delta=1`)
   * gets a delta against the last one it got instead, when smaller (docs/protocol.md).
   */
  readonly documents?: DocumentFrames;
  /**
   * [S6] Every socket on a gateway, none in the room's own object (which only applies inputs):
   * what a socket sends for a stream it follows then never passes through this room.
   */
  readonly gatewaysOnly?: boolean;
}

/**
 * Who may send a command, by its `type`: the actor must hold one of `anyOf`
 * (Hearth's scopes, scopes.ts). `services`: only services are checked (a
 * user's own rules are the kind's). Refused with `code` (default
 * SCOPE_REQUIRED), 403, before dedup and apply.
 */
export type CommandAuth = Readonly<Record<string, { anyOf: readonly string[]; services?: boolean; code?: string; message: string }>>;

export interface RoomLimits {
  /** Largest accepted frame or HTTP body, in bytes. */
  maxFrameBytes: number;
  /** Token bucket per socket: capacity and refill per second. */
  rateBurst: number;
  ratePerSec: number;
  /** Consecutive abuse strikes (rate or size) before close 4008. */
  strikesBeforeClose: number;
  maxConnections: number;
  maxSocketsPerUser: number;
  /**
   * [S5] Most sockets one object holds for this room: past it, sockets go to gateway objects of
   * the same size (created on demand), so a room's sockets are not bound by one object's.
   * Null (the default): every socket in the room's own object.
   */
  socketsPerObject: number | null;
  /**
   * Close a socket that sent nothing (no frame, no `ping`) for this long, with 4000. Null (the
   * default): listening is not idling, and dead connections are found by the runtime's close
   * events and failed sends. Only systems whose clients promise a heartbeat set it (seed 004: 40 s).
   */
  idleTimeoutMs: number | null;
  /** Close a socket this long after it connected, with 4010 (seed 003: 1 hour). Null: no limit. */
  maxConnectionAgeMs: number | null;
  /**
   * Flow control ([F2], src/room/flowControl.ts): a socket that acknowledges what it received
   * (`cursor` frames) is closed with 4011 once what it was sent and has not acknowledged passes
   * this many characters (~bytes) or wire frames. Null: no bound.
   */
  maxUnackedBytes: number | null;
  maxUnackedFrames: number | null;
  /**
   * [F3]: a socket that never acknowledged is closed with 4011 once, since it last showed life
   * (a frame, a text `ping`, its connect), it was sent more than this many characters within
   * `silentWindowMs` (a sliding window): only fast senders are cut. Null: no bound.
   */
  maxSilentBytes: number | null;
  silentWindowMs: number;
  /** Log retention: keep at most this many entries and none older than this. */
  logMaxEntries: number;
  logMaxAgeMs: number;
}

/** Shorthand constructors that keep kinds terse. */
export const reject = hearthError;

export const applied = <S>(state: S, emits: Emit[] = [], extra: Omit<Applied<S>, "ok" | "state" | "emits"> = {}): Applied<S> => ({
  ok: true,
  state,
  emits,
  ...extra,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = Kind<any, any>;
