import type { BackoffOptions } from "./backoffDelay.js";
import type { WakeReason } from "./browserLifecycle.js";
import type { HearthClientError } from "./hearthClientError.js";
import type { CursorPosition } from "./resumeCursor.js";
import type { Clock } from "./systemClock.js";
import type { Unsubscribe } from "./typedEmitter.js";
import type { WebSocketConstructor } from "./webSocketLike.js";

// What a HearthSocket is configured with and what it tells its listeners (hearthSocket.ts).

/**
 * What a UI shows:
 * - "connecting": never been live yet (first attempt, or retries before the first success).
 * - "live": socket open, caught up (a fresh connection's snapshot arrived, or a resume
 *   finished), queue flushed; `send` goes straight out.
 * - "reconnecting": was live before, now waiting for or opening a new connection.
 * - "closed": final (`close()` or a final close code); nothing will happen any more.
 * - "idle": created with `startClosed` and `connect()` not called yet.
 */
export type ConnectionState = "idle" | "connecting" | "live" | "reconnecting" | "closed";

export interface HearthSocketOptions<Out extends object = Record<string, unknown>> {
  /** ws(s):// or http(s):// URL; relative URLs resolve against the page's location. */
  url: string;
  /** A fixed token. With it alone, close 4001 is final (retrying the same token can't help). */
  token?: string;
  /**
   * Called before every connect attempt, so each one uses a fresh token. With
   * it, close 4001 gets exactly one immediate retry with a newly fetched token.
   * A throw/rejection counts as a failed attempt and is retried with backoff;
   * call `close()` when the user has logged out.
   */
  getToken?: () => Promise<string> | string;
  /** Default "protocol": `["hearth", "bearer.<jwt>"]`, keeping tokens out of URLs and logs. */
  tokenIn?: "protocol" | "query";
  /** Extra query params (e.g. `teamCode`, `character_id`). `since`/`epoch`/`token` are the SDK's. */
  params?: Record<string, string>;
  backoff?: Partial<BackoffOptions>;
  /** A connection that stayed open this long resets the backoff. Default 5000. */
  stableAfterMs?: number;
  /** Most messages held (queued sends + unacknowledged commands). Default 100. */
  queueMax?: number;
  /** Period of the text `ping` heartbeat; 0 disables it. Default 25000 (server idle timeout is 60 s). */
  pingIntervalMs?: number;
  /** Nothing received for this long = dead socket, reconnect. Default 2 × pingIntervalMs; 0 disables. */
  deadAfterMs?: number;
  /**
   * Flow control ([F1], docs/protocol.md): at most this often, while frames arrive, the SDK tells
   * the room how much it has received (a tiny `cursor` frame). The room then closes the socket
   * with 4011 only if it really falls behind (past the system's bound), and the SDK reconnects and
   * resumes. Default 1000; 0 disables (the room then treats the socket as the seeds' clients, [F3]).
   */
  cursorIntervalMs?: number;
  /** After a wake-up (online, tab visible) a probe `ping` must be answered within this. Default 5000. */
  probeTimeoutMs?: number;
  /** Token fetch + handshake must finish within this. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * A fresh connection's snapshot, or the end of a resume (recovered marker or snapshot), must
   * arrive within this, else go live anyway (error SNAPSHOT_TIMEOUT / RESUME_TIMEOUT). Default 10000.
   */
  resumeTimeoutMs?: number;
  /** Start from a cursor saved earlier (e.g. in sessionStorage) so a reload resumes instead of refetching. */
  resumeFrom?: CursorPosition;
  /**
   * Frames sent first on every new connection, before the queue (e.g. the quest
   * `join`, a games `rejoin_room`), so server-side membership is re-established
   * after each reconnect instead of being silently lost.
   */
  hello?: () => Out | readonly Out[] | undefined;
  /** WebSocket implementation; defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  clock?: Clock;
  /** [0, 1) source for jitter; defaults to Math.random. */
  random?: () => number;
  /** Id generator for `sendCommand`; defaults to crypto.randomUUID. */
  createId?: () => string;
  /**
   * Subscribes to environment wake-up signals; default: window `online`,
   * document `visibilitychange`, `pageshow` (no-op outside browsers). `false` disables.
   */
  lifecycle?: false | ((wake: (reason: WakeReason) => void) => Unsubscribe);
  /**
   * With `getToken`: fetch a fresh token this long before the current one's `exp` (read from the
   * JWT without verifying) and present it over the open socket (`{"type":"hearth.token"}`, [K6]),
   * so the socket outlives its first token. A refused refresh ends in close 4001 and the usual
   * reconnect with a fresh token. Default 60000; 0 disables (the socket then closes 4001 at `exp`
   * and reconnects).
   */
  refreshMarginMs?: number;
  /** Don't connect until `connect()` is called (state "idle" until then), as partysocket's `startClosed`. */
  startClosed?: boolean;
  /**
   * Ask the server to coalesce bursts into batch frames (`batch=1`, [B1]); the SDK unpacks
   * them, so `frame` listeners still see one frame at a time, each with its own seq. A lone
   * event is never delayed. Default true; false for one wire frame per event.
   */
  batch?: boolean;
}

export interface HearthSnapshot<In extends object = Record<string, unknown>> {
  /** `state` (type family) or `data.state` (event family). Replace the app's state with it. */
  state: unknown;
  seq?: number;
  epoch?: string;
  /** `false` when a resume could not bridge the gap; absent on a fresh connect. */
  recovered?: false;
  frame: In;
}

export interface HearthAck {
  id: string;
  /** Seq of the change the command produced, if any. */
  seq?: number;
  /** True when the server had already applied this id (a resend after reconnect). */
  duplicate?: boolean;
  frame: Record<string, unknown>;
}

export interface HearthCloseInfo {
  code: number;
  reason: string;
  /** True: the SDK stopped for good (state "closed"). */
  final: boolean;
  /** When not final: how long until the next attempt. */
  retryInMs?: number;
}

export interface HearthSocketEvents<In extends object = Record<string, unknown>> {
  state: ConnectionState;
  /** Every logged frame exactly once and in order, plus ephemeral frames. Not snapshots, markers, acks. */
  frame: In;
  snapshot: HearthSnapshot<In>;
  /** A resume bridged the gap; `replayed` frames were delivered as `frame` events before this. */
  resumed: { replayed: number };
  ack: HearthAck;
  /** The server accepted a fresh token on the open socket; the socket now lasts until `expiresAt` (ms; null: no expiry). */
  refreshed: { expiresAt: number | null };
  /** One connection (attempt) ended. */
  close: HearthCloseInfo;
  /** Non-fatal problems; the SDK carries on (or has already moved to "closed"). */
  error: HearthClientError;
}
