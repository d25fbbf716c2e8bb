import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one HTTP error shape (PROTOCOLS.md §1). */
export function httpError(c: Context, status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>) {
  return c.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status as ContentfulStatusCode, headers);
}

/** A room's error value as an HTTP answer. */
export function roomErrorResponse(c: Context, err: { code: string; message: string; status: number; details?: unknown }) {
  return httpError(c, err.status, err.code, err.message, err.details, err.status === 429 ? { "Retry-After": "1" } : undefined);
}
