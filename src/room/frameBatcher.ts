import type { HostSocket } from "./RoomHost.ts";

/**
 * How long a socket's batch may wait and how big it may grow. Measured with
 * `npm run bench` (bench/RESULTS.md, S1/S2 with `batch=1`): 50 ms is the low end of
 * Cloudflare's 50-100 ms guidance, and under a 1,000 events/s room it already
 * packs ~50 events a frame; 64 keeps a frame of small events well under 64 KiB.
 */
export const BATCH_WINDOW_MS = 50;
export const BATCH_MAX_FRAMES = 64;

export interface FrameBatcherDeps {
  now(): number;
  /** Runs `fn` after `ms` while the object is awake (setTimeout in workerd). */
  later(fn: () => void, ms: number): void;
  /**
   * Sends one wire frame; false when the socket is dead. `deferred`: no caller is
   * waiting for the answer (a timer's or a close's flush), so the writer handles a death.
   */
  write(ws: HostSocket, text: string, deferred: boolean): boolean;
  /** Wraps frames already encoded as JSON objects into the codec's one batch frame. */
  wrap(frames: readonly string[]): string;
  windowMs?: number;
  maxFrames?: number;
}

interface Pending {
  frames: string[];
  /** When this socket last got a frame (or batch); a frame after a quiet window goes at once. */
  lastAt: number;
}

/**
 * Per-socket coalescing for sockets that asked for it (`batch=1`) [B1]:
 * - a frame after `windowMs` of quiet goes out at once, alone: a lone event is
 *   never delayed;
 * - frames that follow within the window wait, and leave together as one batch
 *   frame when the window ends or `maxFrames` are waiting, whichever is first;
 * - order is kept: every frame to a batching socket (snapshots, replays, acks,
 *   errors, live events) passes through here, and `flush` runs before a close.
 * Each element of a batch is the frame the socket would have got alone, seq
 * included, so resume and replay need nothing new.
 *
 * One timer serves every socket: a fan-out puts a thousand sockets into the
 * same window, and a timer per socket cost more than the sends it saved (in
 * workerd, 400 per-socket timers per window stretched each window to ~600 ms).
 * When it fires, every socket with frames waiting is flushed; one whose window
 * began later only sends a little early.
 */
export class FrameBatcher {
  readonly #deps: FrameBatcherDeps;
  readonly #windowMs: number;
  readonly #maxFrames: number;
  /** Weak: a socket that closed without a word takes its queue with it. */
  readonly #state = new WeakMap<HostSocket, Pending>();
  /** Sockets with frames waiting, for the timer. */
  readonly #waiting = new Set<HostSocket>();
  /** When the pending flush timer is due (null: none pending). */
  #due: number | null = null;

  constructor(deps: FrameBatcherDeps) {
    this.#deps = deps;
    this.#windowMs = deps.windowMs ?? BATCH_WINDOW_MS;
    this.#maxFrames = deps.maxFrames ?? BATCH_MAX_FRAMES;
  }

  /** Sends or queues; false when a send (now) found the socket dead. */
  send(ws: HostSocket, frame: string): boolean {
    const now = this.#deps.now();
    let p = this.#state.get(ws);
    if (!p) this.#state.set(ws, (p = { frames: [], lastAt: -Infinity }));
    if (p.frames.length === 0 && now - p.lastAt >= this.#windowMs) {
      p.lastAt = now;
      return this.#deps.write(ws, frame, false);
    }
    // A flush timer that should have run long ago was dropped (workerd does not run every
    // timer set during a request, see flushOverdue): flush what waits now, then go on.
    this.flushOverdue();
    p.frames.push(frame);
    if (p.frames.length >= this.#maxFrames) return this.#flush(ws, false);
    this.#waiting.add(ws);
    if (this.#due === null) {
      const delay = Math.max(0, p.lastAt + this.#windowMs - now);
      this.#due = now + delay;
      this.#deps.later(() => this.#tick(), delay);
    }
    return true;
  }

  /**
   * Flushes every waiting socket if the flush timer is overdue by a whole window: the
   * timer was dropped. In a 1,000-socket connect storm, 38% of the 0 ms timers set while
   * a connect ran never fired. The room calls this on each of its events (and its alarm,
   * which the figures keep coming within seconds while sockets are sent to), so a dropped
   * timer delays a batch, and never strands it.
   */
  flushOverdue(): void {
    if (this.#due !== null && this.#deps.now() - this.#due >= this.#windowMs) this.#tick();
  }

  #tick(): void {
    this.#due = null;
    for (const ws of [...this.#waiting]) this.#flush(ws, true);
  }

  /** Sends what waits for `ws` now (before a close, at the end of a catch-up). False: the socket is dead. */
  flush(ws: HostSocket): boolean {
    return this.#flush(ws, true);
  }

  #flush(ws: HostSocket, deferred: boolean): boolean {
    this.#waiting.delete(ws);
    const p = this.#state.get(ws);
    if (!p || p.frames.length === 0) return true;
    const frames = p.frames.splice(0);
    p.lastAt = this.#deps.now();
    return this.#deps.write(ws, frames.length === 1 ? frames[0]! : this.#deps.wrap(frames), deferred);
  }

  /** Forgets a socket (closed or dead): what waited for it is dropped with it. */
  forget(ws: HostSocket): void {
    this.#waiting.delete(ws);
    this.#state.delete(ws);
  }

  /** Frames waiting for `ws`. */
  waiting(ws: HostSocket): number {
    return this.#state.get(ws)?.frames.length ?? 0;
  }
}
