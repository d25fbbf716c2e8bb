/**
 * Reconnect delays. Full jitter (a uniform pick in [0, ceiling)) is the
 * default because it spreads a crowd of clients that all lost their socket at
 * the same moment (a deploy, a Durable Object restart) over the whole window
 * instead of having them hammer the server in synchronized waves.
 * See "Exponential Backoff And Jitter" (AWS architecture blog, 2015).
 */
export interface BackoffOptions {
  /** Ceiling of the first retry delay. */
  initialMs: number;
  /** No delay ever exceeds this. */
  maxMs: number;
  /** Growth of the ceiling per failed attempt. */
  factor: number;
  /**
   * "full": uniform in [0, ceiling). "equal": ceiling/2 + uniform half (never
   * collapses to ~0). "none": exactly the ceiling (only sensible for one client).
   */
  jitter: "full" | "equal" | "none";
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: "full",
};

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry).
 * `random` must return a number in [0, 1), like Math.random.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  // Math.min also absorbs Infinity when factor^attempt overflows after many days offline.
  const ceiling = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, Math.max(0, attempt)));
  switch (options.jitter) {
    case "none":
      return ceiling;
    case "equal":
      return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
    case "full":
      return Math.floor(random() * ceiling);
  }
}
