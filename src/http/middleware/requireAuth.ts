import type { MiddlewareHandler } from "hono";
import { scopesOf, type HearthClaims, type HearthScope } from "../auth/claims.ts";
import { tokenFrom } from "../auth/tokenFrom.ts";
import { verifierFor } from "../auth/verifierFor.ts";
import type { Env } from "../env.ts";
import { httpError } from "./httpError.ts";

export type AuthVars = { claims: HearthClaims; protocol?: string };

/**
 * Verifies the bearer token (header, `bearer.` subprotocol or `?token=`) and
 * puts the claims on the context. With `scope`, the token must carry it.
 *
 * @example app.post("/api/rooms", requireAuth({ scope: "rooms:admin" }), handler)
 */
export function requireAuth(options: { scope?: HearthScope } = {}): MiddlewareHandler<{ Bindings: Env; Variables: AuthVars }> {
  return async (c, next) => {
    const { token, protocol } = tokenFrom(c.req.raw);
    if (!token) return httpError(c, 401, "TOKEN_MISSING", "A bearer token is required.", undefined, { "WWW-Authenticate": "Bearer" });
    const verified = await verifierFor(c.env)(token);
    if (!verified.ok) {
      const status = verified.code === "AUTH_NOT_CONFIGURED" ? 500 : 401;
      return httpError(c, status, verified.code, verified.message, undefined, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    }
    if (options.scope && !scopesOf(verified.claims).includes(options.scope)) {
      return httpError(c, 403, "SCOPE_REQUIRED", `This call needs a token with scope ${options.scope}.`);
    }
    c.set("claims", verified.claims);
    if (protocol) c.set("protocol", protocol);
    await next();
  };
}
