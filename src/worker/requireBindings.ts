import type { MiddlewareHandler } from "hono";
import type { Env } from "../http/env.ts";
import { httpError } from "../http/middleware/httpError.ts";

/** Paths whose handlers read the D1 directory (room listing, revocations); every other route works without it. */
const NEEDS_DIRECTORY = [
  { method: "GET", path: "/api/rooms" },
  { method: "POST", path: "/api/revocations" },
];

/**
 * What the core needs from the Worker's env, checked before any route runs, so a Worker whose
 * wrangler.toml lacks a binding gets a readable answer instead of a TypeError deep in a handler:
 * `ROOMS` (the rooms' Durable Object namespace) always; `DIRECTORY` (D1) only for the routes that
 * list rooms or revoke tokens. Without D1, rooms are not listed and revocations are not kept.
 */
export function requireBindings(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const env = c.env as Partial<Env> | undefined;
    if (!env?.ROOMS) {
      return httpError(c, 500, "NOT_CONFIGURED", "This Worker has no ROOMS Durable Object binding (wrangler.toml [[durable_objects.bindings]] name = \"ROOMS\").");
    }
    const path = c.req.path;
    if (!env.DIRECTORY && NEEDS_DIRECTORY.some((r) => r.method === c.req.method && r.path === path)) {
      return httpError(c, 501, "DIRECTORY_NOT_CONFIGURED", `${c.req.method} ${path} needs the DIRECTORY D1 binding, which this Worker does not have.`);
    }
    await next();
  };
}
