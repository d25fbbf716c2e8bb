import { statusOf, type HearthError } from "../../core/hearthError.ts";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one HTTP error shape (PROTOCOLS.md §1). */
export function httpError(c: Context, status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>) {
  return c.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status as ContentfulStatusCode, headers);
}

/**
 * Headers an error's status calls for: every 429 says when to retry
 * (PROTOCOLS.md §1), on every route that can answer one. Budgets refill
 * continuously, so the hint is a short fixed wait rather than a promise.
 */
export function errorHeaders(status: number): Record<string, string> | undefined {
  return status === 429 ? { "Retry-After": "1" } : undefined;
}

/** Hearth's error value (a room's or a kind's) as an HTTP answer. */
export function roomErrorResponse(c: Context, err: HearthError) {
  const status = statusOf(err);
  return httpError(c, status, err.code, err.message, err.details, errorHeaders(status));
}

/**
 * A room's answer as HTTP: the value without its internal `ok` discriminant, or
 * the error it is. Every route that passes a room's value on uses this.
 */
export function roomJson<T extends { ok: true }>(c: Context, value: T | HearthError): Response {
  if (!value.ok) return roomErrorResponse(c, value);
  const { ok: _ok, ...rest } = value;
  return c.json(rest);
}
