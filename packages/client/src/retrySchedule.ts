import { backoffDelay } from "./backoffDelay.js";
import { closePolicy } from "./closePolicy.js";
import type { HearthSocketSettings } from "./hearthSocketSettings.js";

type Settings = Pick<HearthSocketSettings<object>, "backoff" | "random" | "stableAfterMs" | "getToken">;

/**
 * After a connection ends, whether and when to try again: the close code's policy
 * (closePolicy.ts), the backoff (backoffDelay.ts), and what carries over from one loss to the
 * next (the attempt count, the outage's start, the one retry a rejected token gets). Plain
 * bookkeeping with no timers, so it is tested with numbers alone.
 */
export class RetrySchedule {
  private attempt = 0;
  private authRetried = false;
  private openedAt: number | undefined;
  /** When the current outage began (the first loss since a stable connection). */
  private downSince: number | undefined;

  constructor(private readonly settings: Settings) {}

  /** A connection opened at `now`: if it stays up stableAfterMs, its loss starts the backoff over. */
  opened(now: number): void {
    this.openedAt = now;
  }

  /** The connection is gone: it no longer counts as up. */
  dropped(): void {
    this.openedAt = undefined;
  }

  /**
   * A connection (or attempt) ended at `now` with `code`: the delay before the next attempt,
   * or "final" when retrying can't help. `immediate`: retry at once (a wake-up found it dead).
   */
  afterLoss(code: number, now: number, immediate: boolean): number | "final" {
    // Reset only after a connection that stayed up: a server that accepts and then
    // closes at once must not get a reconnect loop at the initial delay.
    const stable = this.openedAt !== undefined && now - this.openedAt >= this.settings.stableAfterMs;
    const action = closePolicy(code);
    if (stable || this.downSince === undefined) this.downSince = now;
    if (stable) {
      this.authRetried = false;
      // A rate-limited client keeps its growing backoff even if it had been up a while.
      if (action !== "retry-slow") this.attempt = 0;
    }
    if (action === "final" || (action === "auth" && (this.settings.getToken === undefined || this.authRetried))) return "final";
    if (action === "auth") {
      this.authRetried = true;
      return 0;
    }
    let delay: number;
    if (immediate) delay = 0;
    else if (action === "retry-slow") {
      // The server said "too much" or "full": the attempt bound alone (no fast window), and
      // never instantly, since full jitter can pick ~0 ms.
      delay = Math.max(backoffDelay(this.attempt, this.settings.backoff, this.settings.random), this.settings.backoff.initialMs);
    } else {
      delay = backoffDelay(this.attempt, this.settings.backoff, this.settings.random, now - this.downSince);
    }
    this.attempt++;
    return delay;
  }
}
