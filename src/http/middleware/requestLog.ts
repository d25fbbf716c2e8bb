import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { RoomAccessVars } from "./roomAccess.ts";

/**
 * One structured line per request that did not succeed (4xx warn, 5xx error):
 * the request id (also the `X-Request-Id` response header, so a user's report
 * finds it), the room it reached when roomAccess resolved one, the code the
 * client got, and the time taken. Successes are left to Workers Logs'
 * invocation records ([observability]): a line per event would cost the
 * ingest path a console write each.
 */
export function requestLog(): MiddlewareHandler<{ Variables: RequestIdVariables & Partial<RoomAccessVars> }> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    const status = c.res.status;
    // 101: an upgrade the room answered; its refusals are close codes the room logs itself.
    if (status < 400) return;
    let code: string | undefined;
    if (c.res.headers.get("content-type")?.includes("json")) {
      code = ((await c.res.clone().json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
    }
    const line = {
      level: status >= 500 ? "error" : "warn",
      event: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status,
      ...(code ? { code } : {}),
      ...(c.get("room") ? { room: c.get("room")!.name } : {}),
      ms: Date.now() - started,
    };
    (status >= 500 ? console.error : console.warn)(JSON.stringify(line));
  };
}
