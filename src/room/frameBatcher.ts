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
  timer: boolean;
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
 */
export class FrameBatcher {
  readonly #deps: FrameBatcherDeps;
  readonly #windowMs: number;
  readonly #maxFrames: number;
  /** Weak: a socket that closed without a word takes its queue with it. */
  readonly #pending = new WeakMap<HostSocket, Pending>();

  constructor(deps: FrameBatcherDeps) {
    this.#deps = deps;
    this.#windowMs = deps.windowMs ?? BATCH_WINDOW_MS;
    this.#maxFrames = deps.maxFrames ?? BATCH_MAX_FRAMES;
  }

  /** Sends or queues; false when a send (now) found the socket dead. */
  send(ws: HostSocket, frame: string): boolean {
    const now = this.#deps.now();
    let p = this.#pending.get(ws);
    if (!p) this.#pending.set(ws, (p = { frames: [], lastAt: -Infinity, timer: false }));
    if (p.frames.length === 0 && now - p.lastAt >= this.#windowMs) {
      p.lastAt = now;
      return this.#deps.write(ws, frame, false);
    }
    p.frames.push(frame);
    if (p.frames.length >= this.#maxFrames) return this.#flush(ws, false);
    if (!p.timer) {
      p.timer = true;
      this.#deps.later(() => {
        const q = this.#pending.get(ws);
        if (q !== p) return;
        p.timer = false;
        this.flush(ws);
      }, Math.max(0, p.lastAt + this.#windowMs - now));
    }
    return true;
  }

  /** Sends what waits for `ws` now (before a close, at the end of a catch-up). False: the socket is dead. */
  flush(ws: HostSocket): boolean {
    return this.#flush(ws, true);
  }

  #flush(ws: HostSocket, deferred: boolean): boolean {
    const p = this.#pending.get(ws);
    if (!p || p.frames.length === 0) return true;
    const frames = p.frames.splice(0);
    p.lastAt = this.#deps.now();
    return this.#deps.write(ws, frames.length === 1 ? frames[0]! : this.#deps.wrap(frames), deferred);
  }

  /** Forgets a socket (closed or dead): what waited for it is dropped with it. */
  forget(ws: HostSocket): void {
    this.#pending.delete(ws);
  }

  /** Frames waiting for `ws`. */
  waiting(ws: HostSocket): number {
    return this.#pending.get(ws)?.frames.length ?? 0;
  }
}
