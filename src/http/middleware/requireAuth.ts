import type { MiddlewareHandler } from "hono";
import { authenticate } from "../auth/authenticate.ts";
import type { HearthClaims, HearthScope } from "../auth/claims.ts";
import { scopeRefusal } from "../auth/scopeRefusal.ts";
import { tokenFrom } from "../auth/tokenFrom.ts";
import type { Env } from "../env.ts";
import { documented } from "../openapi/routeDocs.ts";
import { refusalResponse } from "../refusal.ts";

export type AuthVars = { claims: HearthClaims; protocol?: string };

/**
 * Verifies the bearer token (header, `bearer.` subprotocol or `?token=`) and
 * puts the claims on the context. With `scope`, the token must carry it.
 * Routes that reach one room use roomAccess instead, which does this too.
 *
 * @example app.post("/api/rooms", requireAuth({ scope: "rooms:admin" }), handler)
 */
export function requireAuth(options: { scope?: HearthScope } = {}): MiddlewareHandler<{ Bindings: Env; Variables: AuthVars }> {
  return documented(async (c, next) => {
    const { token, protocol } = tokenFrom(c.req.raw);
    const auth = await authenticate(c.env, token);
    if (!auth.ok) return refusalResponse(c, auth.refusal);
    const denied = scopeRefusal(auth.claims, options.scope);
    if (denied) return refusalResponse(c, denied);
    c.set("claims", auth.claims);
    if (protocol) c.set("protocol", protocol);
    await next();
  }, { auth: true, ...(options.scope ? { scope: options.scope } : {}) });
}
