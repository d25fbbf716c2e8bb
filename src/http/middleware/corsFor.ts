import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { originAllowed } from "../auth/originAllowed.ts";
import type { Env } from "../env.ts";

/**
 * CORS for the HTTP API with the same allowlist as browser sockets
 * (`HEARTH_ALLOWED_ORIGINS`; open in local dev, same-origin otherwise), so a
 * browser app on another origin can call what it may also connect to.
 * Bearer tokens travel in `Authorization`, never in cookies: no credentials.
 *
 * @example app.use("/api/*", corsFor())
 */
export function corsFor(): MiddlewareHandler<{ Bindings: Env }> {
  return cors({
    origin: (origin, c) => (origin && originAllowed(origin, c.req.url, c.env) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
    exposeHeaders: ["Idempotent-Replayed", "Retry-After", "X-Request-Id"],
    maxAge: 600,
  });
}
