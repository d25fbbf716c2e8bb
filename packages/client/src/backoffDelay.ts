/**
 * Reconnect delays. Two bounds, the lower wins:
 * - per attempt, the classic exponential ceiling (initialMs × factor^attempt, at most maxMs);
 * - per outage, a ceiling that grows with how long the client has been down: at most
 *   `fastMs` while the outage is short, then `outageShare` of its length. A server that
 *   restarts (a deploy, `wrangler dev` reloading) is usually back within seconds; with the
 *   attempt bound alone, a client that failed six quick attempts waits up to 16 s after the
 *   server is back (we measured 12 s in the demo). With the outage bound, it comes back
 *   within `fastMs` (1 s) for outages up to fastMs / outageShare (4 s), and within a quarter
 *   of the outage after that, so a long outage still thins out to one try per maxMs.
 * Full jitter (a uniform pick in [0, ceiling)) is the
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
  /** Ceiling while an outage is short (see outageShare). */
  fastMs: number;
  /** Past the fast window the outage ceiling is this share of the time spent down. */
  outageShare: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  jitter: "full",
  fastMs: 1_000,
  outageShare: 0.25,
};

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry), `downForMs` into an
 * outage (omit it to use the attempt bound only, as after the server said "slow down").
 * `random` must return a number in [0, 1), like Math.random.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number, downForMs?: number): number {
  // Math.min also absorbs Infinity when factor^attempt overflows after many days offline.
  let ceiling = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, Math.max(0, attempt)));
  if (downForMs !== undefined) {
    const fastMs = options.fastMs ?? DEFAULT_BACKOFF.fastMs;
    const share = options.outageShare ?? DEFAULT_BACKOFF.outageShare;
    ceiling = Math.min(ceiling, Math.max(fastMs, share * Math.max(0, downForMs)));
  }
  switch (options.jitter) {
    case "none":
      return ceiling;
    case "equal":
      return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
    case "full":
      return Math.floor(random() * ceiling);
  }
}
