/**
 * A per-socket token bucket. Lives in memory only: after hibernation a bucket
 * starts full again, which errs towards letting a quiet client talk.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    private readonly capacity: number,
    private readonly perSec: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#at = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#at) / 1000;
    this.#tokens = Math.min(this.capacity, this.#tokens + elapsed * this.perSec);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
