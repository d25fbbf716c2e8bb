import type { z } from "zod";

/**
 * The contract between the Room core and a system ("kind"). A kind is pure:
 * no I/O, no clock, no Math.random. Everything non-deterministic arrives via
 * `ctx`, so a room's log replays to the same state.
 *
 * Imports only point inwards: room -> kinds, never kinds -> room.
 */

/** Who is acting. Built by the worker from a verified token; never from a frame. */
export interface Actor {
  /** Stable user id: the token's `sub`. */
  userId: string;
  name: string;
  /** Role inside this room (e.g. "dm", "player", "admin", "member", "spectator"). */
  role: string;
  /** True when the caller is a backend service (token with a Hearth scope: `events:publish` or `rooms:admin`). */
  service: boolean;
  /** Token scopes (`events:publish`, `rooms:admin`). */
  scopes: readonly string[];
}

/** Room facts the core keeps so a kind's state doesn't have to (and isn't rewritten for them). */
export interface ViewCtx {
  /** Who is connected, one entry per user. */
  online: readonly Actor[];
}

/** Deterministic inputs for one apply. */
export interface ApplyCtx {
  actor: Actor;
  roomId: string;
  /** Milliseconds since epoch, fixed for the whole command. */
  now: number;
  /** Uniform [0,1), seeded from the room's seed and the command's seq: replayable. */
  random(): number;
  /** Per-kind configuration given when the room was created. */
  config: Readonly<Record<string, unknown>>;
  /** Who is currently connected (one entry per user, not per socket). */
  online: readonly Actor[];
}

/**
 * Something the room sends. `to` limits delivery (and replay, and history) to
 * those user ids; without it every connection gets it. `log: false` makes it
 * ephemeral: no seq, not stored, not replayed (e.g. position pings).
 */
export interface Emit {
  body: Record<string, unknown>;
  to?: readonly string[];
  log?: false;
  /** Do not deliver to the socket that sent the command (its answer is `reply`). */
  skipOrigin?: boolean;
}

export interface Rejection {
  ok: false;
  /** Stable SCREAMING_SNAKE code, e.g. NOT_YOUR_TURN. */
  code: string;
  /** A sentence for humans. */
  message: string;
  /** HTTP status to use when the command came over HTTP (default 409 for rules, 403 for auth). */
  status?: number;
  details?: unknown;
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
}

export type ApplyResult<S> = Applied<S> | Rejection;

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

export interface Kind<S, C extends { type: string }> {
  readonly name: string;
  /** Validates one decoded command (type + fields). Failures become BAD_COMMAND with zod issues. */
  readonly command: z.ZodType<C>;
  /** Validates the creation config (`POST` that creates a room). */
  readonly config?: z.ZodType<Record<string, unknown>>;
  /** Initial state of a freshly created room. */
  init(config: Readonly<Record<string, unknown>>, ctx: { now: number; roomId: string }): S;
  /** The rules. Must not mutate `state`. */
  apply(state: S, command: C, ctx: ApplyCtx): ApplyResult<S>;
  /**
   * What `viewer` may see. Never puzzle answers, never whispers to others.
   * `room` carries what the core knows that state need not duplicate (who is online).
   */
  view(state: S, viewer: Actor, room: ViewCtx): unknown;
  /** Presence hook: lets a kind record joins/leaves and emit PLAYER_JOINED etc. */
  presence?(state: S, change: PresenceChange, ctx: ApplyCtx): ApplyResult<S>;
  /** May this actor open a socket here? Return a rejection (close 4003) if not. */
  admit?(state: S, info: ConnectInfo): Rejection | null;
  /**
   * Extra frames sent to a socket right after its catch-up (the snapshot, or
   * the replay and its `recovered` marker) and before any live frame. The
   * user's presence join has already been applied to `state`. `recent` holds
   * the newest logged frames this viewer may see (oldest first, at most
   * `historyOnJoin`), already filtered by audience; it is empty after a
   * successful replay, which already delivered them.
   */
  welcome?(state: S, info: ConnectInfo, recent: readonly Record<string, unknown>[]): Record<string, unknown>[];
  /** How many recent logged bodies `welcome` receives (default 0). */
  readonly historyOnJoin?: number;
  /** Per-kind overrides of the room limits. */
  readonly limits?: Partial<RoomLimits>;
}

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
  /** Sockets silent this long (no frame, no auto-pong) are closed by the sweep. */
  idleTimeoutMs: number;
  /** Log retention: keep at most this many entries and none older than this. */
  logMaxEntries: number;
  logMaxAgeMs: number;
}

/** Shorthand constructors that keep kinds terse. */
export const reject = (code: string, message: string, status?: number, details?: unknown): Rejection => ({
  ok: false,
  code,
  message,
  ...(status === undefined ? {} : { status }),
  ...(details === undefined ? {} : { details }),
});

export const applied = <S>(state: S, emits: Emit[] = [], extra: Omit<Applied<S>, "ok" | "state" | "emits"> = {}): Applied<S> => ({
  ok: true,
  state,
  emits,
  ...extra,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = Kind<any, any>;
