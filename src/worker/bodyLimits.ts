import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { System } from "../core/system.ts";
import { httpError } from "../http/middleware/httpError.ts";

const limiter = (maxBytes: number): MiddlewareHandler =>
  bodyLimit({ maxSize: maxBytes, onError: (c) => httpError(c, 413, "BODY_TOO_LARGE", `Request bodies may be at most ${maxBytes} bytes.`) });

/**
 * One body bound per request ([L3]): the bound a system declared for the path's prefix
 * (System.bodyLimits, longest prefix wins), else `fallback`. One check, not two stacked:
 * a stacked default would refuse what the system allows.
 */
export function bodyLimits(systems: readonly System[], fallback: number): MiddlewareHandler {
  const rules = systems.flatMap((s) => s.bodyLimits ?? []).sort((a, b) => b.prefix.length - a.prefix.length);
  const byMax = new Map<number, MiddlewareHandler>([[fallback, limiter(fallback)]]);
  for (const r of rules) if (!byMax.has(r.maxBytes)) byMax.set(r.maxBytes, limiter(r.maxBytes));
  return (c, next) => {
    const path = c.req.path;
    const rule = rules.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
    return byMax.get(rule?.maxBytes ?? fallback)!(c, next);
  };
}
