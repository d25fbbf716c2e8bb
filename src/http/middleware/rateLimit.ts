import type { MiddlewareHandler } from "hono";
import type { Env } from "../env.ts";
import { scopesOf, type HearthClaims } from "../auth/claims.ts";
import { httpError } from "./httpError.ts";

export interface RateLimitOptions {
  /** The Workers rate-limit binding to count against (configured in wrangler.toml). */
  binding: (env: Env) => RateLimit | undefined;
  /** What the binding's period is, in seconds: the Retry-After a refused caller gets. */
  periodSec: number;
  /** Which budget a call spends; calls with the same key share one. */
  prefix: string;
}

/**
 * A per-user budget for calls that write to the directory (team creation and
 * joining): behind requireAuth, keyed by the token's `sub`. Rooms have their
 * own budgets (abuseGuard.ts); these calls happen before any room exists.
 * Services are exempt, as they are everywhere. A deployment without the
 * binding has no such budget, so both configs in wrangler.toml declare it.
 *
 * @example app.post("/api/teams", requireAuth(), rateLimit({ binding: (env) => env.TEAMS_RATE_LIMIT, periodSec: 60, prefix: "teams" }), ...)
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<{ Bindings: Env; Variables: { claims: HearthClaims } }> {
  return async (c, next) => {
    const limiter = options.binding(c.env);
    const claims = c.get("claims");
    if (limiter && scopesOf(claims).length === 0) {
      const { success } = await limiter.limit({ key: `${options.prefix}:${claims.sub}` });
      if (!success) return httpError(c, 429, "RATE_LIMITED", "Too many requests; slow down.", undefined, { "Retry-After": String(options.periodSec) });
    }
    await next();
  };
}
