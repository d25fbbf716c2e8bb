import type { RoomLimits } from "../core/kind.ts";
import type { AbuseGuard } from "./abuseGuard.ts";
import type { HostSocket } from "./RoomHost.ts";

/**
 * Flow control for slow readers ([F1]-[F4], docs/spec.md; wire: docs/protocol.md "Flow control").
 *
 * The runtime exposes no send-buffer size for hibernatable sockets, but the outlet sees every
 * frame it hands the runtime. Here each socket gets two cumulative counters (wire frames and
 * their length in UTF-16 code units, i.e. `string.length`, which is what the client can count
 * for free and equals bytes for ASCII JSON), and:
 * - a socket that acknowledges (a `cursor` control frame saying how much it has received, [F1])
 *   is closed with 4011 once what it was sent and has not acknowledged passes
 *   `maxUnackedBytes` or `maxUnackedFrames` ([F2]);
 * - a socket that never acknowledged (the seeds' own clients) is closed with 4011 once, since it
 *   last showed life (any frame it sent, a text `ping` the runtime answered, or its connect / the
 *   object's wake-up), it was sent more than `maxSilentBytes` within `silentWindowMs` ([F3]): the
 *   bound applies only while it is being sent fast. A listener that pings (every seed heartbeat
 *   does), or is sent less than `maxSilentBytes` per `silentWindowMs` (8 MiB/min by default), is
 *   never cut, however long it listens. The window is two fixed buckets weighted as a sliding
 *   window (previous bucket x the share of it still inside the window, plus the current one).
 *
 * State is O(1) per socket, in memory (a WeakMap), and lost on hibernation: tracking then starts
 * over from zero, and the next cursor sets a new baseline. Nothing here is persisted or logged.
 */
export interface FlowLimits {
  /** An acknowledging socket's unacknowledged backlog bound, in characters (~bytes). Null: no bound. */
  maxUnackedBytes: number | null;
  /** The same bound in wire frames (a batch frame counts one). Null: no bound. */
  maxUnackedFrames: number | null;
  /** A never-acknowledging socket's bound: characters sent within `silentWindowMs` since it last showed life. Null: no bound. */
  maxSilentBytes: number | null;
  /** The window `maxSilentBytes` is counted over (ms): [F3] only cuts a socket sent faster than that. */
  silentWindowMs: number;
}

export interface FlowControlDeps {
  limits: Pick<RoomLimits, keyof FlowLimits>;
  /** When the runtime last auto-answered a text `ping` on this socket (RoomHost.autoPongAt). */
  autoPongAt(ws: HostSocket): number | null;
  /** Cursors faster than CURSOR_FREE_MS take from the socket's rate budget (strikes, 4008). */
  abuse: Pick<AbuseGuard, "takeSocket" | "strike">;
  now(): number;
}

/** Cursors closer together than this cost a token of the socket's rate budget; slower ones are free. */
export const CURSOR_FREE_MS = 100;
/** A cursor frame is tiny; anything longer is not one (and goes down the pipeline as any frame). */
const CURSOR_MAX_CHARS = 160;

interface Track {
  sentFrames: number;
  sentChars: number;
  /** Set by the first cursor: client count minus server count then (null: never acknowledged). */
  baseFrames: number | null;
  baseChars: number;
  ackedFrames: number;
  ackedChars: number;
  /** [F3]'s sliding window, reset by every sign of life: when the current bucket started (ms), */
  winStart: number;
  /** characters sent in it since the last sign of life, */
  winChars: number;
  /** and in the bucket before it (0 if that was before the last sign of life). */
  prevChars: number;
  /** When the last sign of life was seen (ms), to compare with the runtime's auto-pong time. */
  lifeAt: number;
  lastCursorAt: number;
}

/** Why `sent` wants the socket closed, or null. */
export type FlowVerdict = "behind" | "silent" | null;

/** What `received` made of a client frame: not a cursor (run it), a cursor (done), or cursor abuse (close 4008). */
export type CursorVerdict = "not-cursor" | "cursor" | "abuse";

export class FlowControl {
  readonly #d: FlowControlDeps;
  readonly #tracks = new WeakMap<HostSocket, Track>();

  constructor(deps: FlowControlDeps) {
    this.#d = deps;
  }

  /** Whether any bound is set (else the outlet skips counting). */
  get enabled(): boolean {
    const l = this.#d.limits;
    return l.maxUnackedBytes !== null || l.maxUnackedFrames !== null || l.maxSilentBytes !== null;
  }

  #track(ws: HostSocket): Track {
    let t = this.#tracks.get(ws);
    if (!t) {
      const now = this.#d.now();
      t = { sentFrames: 0, sentChars: 0, baseFrames: null, baseChars: 0, ackedFrames: 0, ackedChars: 0, winStart: now, winChars: 0, prevChars: 0, lifeAt: now, lastCursorAt: -Infinity };
      this.#tracks.set(ws, t);
    }
    return t;
  }

  /** Counts one wire frame handed to the runtime for `ws`; says whether the socket is now past a bound. */
  sent(ws: HostSocket, frame: string): FlowVerdict {
    const t = this.#track(ws);
    t.sentFrames++;
    t.sentChars += frame.length;
    const { maxUnackedBytes, maxUnackedFrames, maxSilentBytes } = this.#d.limits;
    if (t.baseFrames !== null) {
      if (maxUnackedBytes !== null && t.sentChars - t.ackedChars > maxUnackedBytes) return "behind";
      if (maxUnackedFrames !== null && t.sentFrames - t.ackedFrames > maxUnackedFrames) return "behind";
      return null;
    }
    if (maxSilentBytes === null) return null;
    const now = this.#d.now();
    const w = Math.max(1, this.#d.limits.silentWindowMs);
    const buckets = Math.floor((now - t.winStart) / w);
    if (buckets > 0) {
      t.prevChars = buckets === 1 ? t.winChars : 0;
      t.winChars = 0;
      t.winStart += buckets * w;
    }
    t.winChars += frame.length;
    const inWindow = t.winChars + t.prevChars * (1 - (now - t.winStart) / w);
    if (inWindow > maxSilentBytes) {
      // The runtime answers a text `ping` without waking us: a ping since the last sign of life counts as one.
      const pong = this.#d.autoPongAt(ws);
      if (pong !== null && pong > t.lifeAt) {
        this.#life(t, pong, now);
        return null;
      }
      return "silent";
    }
    return null;
  }

  /** A sign of life at `at`: [F3]'s window starts over. */
  #life(t: Track, at: number, now: number): void {
    t.lifeAt = at;
    t.winStart = now;
    t.winChars = 0;
    t.prevChars = 0;
  }

  /**
   * Every client frame passes here first (Room.message): it counts as a sign of life ([F3]),
   * and a cursor frame ([F1]) is consumed here: it never reaches the codec, the kind, the log
   * or the rate budget (unless sent faster than every CURSOR_FREE_MS).
   */
  received(ws: HostSocket, data: string | ArrayBuffer): CursorVerdict {
    const t = this.#track(ws);
    const at = this.#d.now();
    this.#life(t, at, at);
    const cursor = typeof data === "string" ? parseCursor(data) : null;
    if (!cursor) return "not-cursor";
    const now = t.lifeAt;
    if (now - t.lastCursorAt < CURSOR_FREE_MS && !this.#d.abuse.takeSocket(ws, now)) {
      return this.#d.abuse.strike(ws) ? "abuse" : "cursor";
    }
    t.lastCursorAt = now;
    if (t.baseFrames === null) {
      // First cursor on this socket since connect or wake-up: it sets the baseline (all caught up).
      t.baseFrames = cursor.frames - t.sentFrames;
      t.baseChars = cursor.chars - t.sentChars;
    }
    // Monotone and never past what was sent: a stale or lying cursor cannot make room.
    t.ackedFrames = clamp(cursor.frames - t.baseFrames, t.ackedFrames, t.sentFrames);
    t.ackedChars = clamp(cursor.chars - t.baseChars, t.ackedChars, t.sentChars);
    return "cursor";
  }

  /** What `ws` was sent and has not acknowledged (null: it never acknowledged). For tests and inspection. */
  backlog(ws: HostSocket): { frames: number; chars: number } | null {
    const t = this.#tracks.get(ws);
    if (!t || t.baseFrames === null) return null;
    return { frames: t.sentFrames - t.ackedFrames, chars: t.sentChars - t.ackedChars };
  }

  forget(ws: HostSocket): void {
    this.#tracks.delete(ws);
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * `{"type":"cursor","frames":F,"chars":C}` or `{"event":"cursor","data":{"frames":F,"chars":C}}`,
 * in either codec family; null for anything else (cheap: most frames fail the first test).
 */
export function parseCursor(text: string): { frames: number; chars: number } | null {
  if (text.length > CURSOR_MAX_CHARS || !text.includes('"cursor"')) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const body = o.type === "cursor" ? o : o.event === "cursor" && typeof o.data === "object" && o.data !== null ? (o.data as Record<string, unknown>) : null;
  if (!body) return null;
  const { frames, chars } = body;
  if (!isCount(frames) || !isCount(chars)) return null;
  return { frames, chars };
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
