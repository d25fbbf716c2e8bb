import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import type { Env } from "../env.ts";
import type { Refusal } from "../refusal.ts";
import type { HearthClaims } from "./claims.ts";
import { verifierFor } from "./verifierFor.ts";

const badToken = { code: CloseCode.invalidToken, reason: CloseReason.invalidToken };

/**
 * The one token check behind requireAuth and roomAccess, for HTTP calls and
 * WebSocket upgrades alike: the claims, or why not (401; 500 when the server
 * has no verification configured).
 */
export async function authenticate(env: Env, token: string | null): Promise<{ ok: true; claims: HearthClaims } | { ok: false; refusal: Refusal }> {
  if (!token) {
    return { ok: false, refusal: { status: 401, code: "TOKEN_MISSING", message: "A bearer token is required.", close: badToken, headers: { "WWW-Authenticate": "Bearer" } } };
  }
  const verified = await verifierFor(env)(token);
  if (verified.ok) return { ok: true, claims: verified.claims };
  const status = verified.code === "AUTH_NOT_CONFIGURED" ? 500 : 401;
  return { ok: false, refusal: { status, code: verified.code, message: verified.message, close: badToken, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } };
}
