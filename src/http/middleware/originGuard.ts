import type { MiddlewareHandler } from "hono";
import type { Env } from "../env.ts";
import { httpError } from "./httpError.ts";

/**
 * Browser WebSocket upgrades must come from an allowed Origin
 * (`HEARTH_ALLOWED_ORIGINS`, comma-separated). Unset: open in local dev,
 * same-origin only otherwise. Requests without an Origin (services, CLIs)
 * pass: the token still has to be valid.
 *
 * @example app.use("/ws/*", originGuard())
 */
export function originGuard(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (origin && !originAllowed(origin, c.req.url, c.env)) {
      return httpError(c, 403, "ORIGIN_NOT_ALLOWED", `Origin ${origin} may not open sockets here.`);
    }
    await next();
  };
}

export function originAllowed(origin: string, requestUrl: string, env: Env): boolean {
  const list = (env.HEARTH_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  if (list.length === 0) return env.HEARTH_DEV_AUTH === "1" || origin === new URL(requestUrl).origin;
  return list.includes("*") || list.includes(origin);
}
