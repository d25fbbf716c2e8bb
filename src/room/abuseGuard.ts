import type { RoomLimits } from "../core/kind.ts";
import type { HostSocket } from "./RoomHost.ts";
import { TokenBucket } from "./TokenBucket.ts";

/**
 * Rate budgets and strikes. A socket gets a token bucket; consecutive
 * refusals for size or rate are strikes, and `strikesBeforeClose` of them
 * close it with 4008. HTTP callers with user tokens get the budget of one
 * socket per user; services are trusted backends and publish in bulk.
 * Memory only: after a wake-up buckets start full, erring towards a quiet client.
 */
export class AbuseGuard {
  readonly #limits: RoomLimits;
  #buckets = new WeakMap<HostSocket, TokenBucket>();
  #strikes = new WeakMap<HostSocket, number>();
  /** Bounded: the oldest caller is forgotten first, and a forgotten bucket only starts full again. */
  #http = new Map<string, TokenBucket>();

  constructor(limits: RoomLimits) {
    this.#limits = limits;
  }

  /** Takes one token for this socket. */
  takeSocket(ws: HostSocket, now: number): boolean {
    let bucket = this.#buckets.get(ws);
    if (!bucket) this.#buckets.set(ws, (bucket = this.#bucket(now)));
    return bucket.take(now);
  }

  takeHttp(userId: string, now: number): boolean {
    let bucket = this.#http.get(userId);
    if (!bucket) {
      if (this.#http.size >= 10_000) this.#http.delete(this.#http.keys().next().value!);
      this.#http.set(userId, (bucket = this.#bucket(now)));
    }
    return bucket.take(now);
  }

  /** Counts a strike; true when the socket has used up its warnings and must be closed. */
  strike(ws: HostSocket): boolean {
    const strikes = (this.#strikes.get(ws) ?? 0) + 1;
    this.#strikes.set(ws, strikes);
    return strikes >= this.#limits.strikesBeforeClose;
  }

  /** A frame got past the limits: the warnings start over. */
  forgive(ws: HostSocket): void {
    this.#strikes.delete(ws);
  }

  #bucket(now: number): TokenBucket {
    return new TokenBucket(this.#limits.rateBurst, this.#limits.ratePerSec, now);
  }
}
