import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import type { Env } from "../env.ts";
import type { Refusal } from "../refusal.ts";
import type { HearthClaims } from "./claims.ts";
import { REVOKED_REASON } from "../../room/revocations.ts";
import { revocationCheck } from "./revocationCheck.ts";
import { verifierFor } from "./verifierFor.ts";

const badToken = { code: CloseCode.invalidToken, reason: CloseReason.invalidToken };
const revokedClose = { code: CloseCode.invalidToken, reason: REVOKED_REASON };

/**
 * [V6] D1 unreachable: the call goes on (logged at error level). Revocation is a second line
 * behind expiry; failing closed would turn a D1 outage into every user's outage.
 */
async function revokedNow(env: Env, claims: HearthClaims): Promise<boolean> {
  if (!env.DIRECTORY) return false;
  try {
    return await revocationCheck.revoked(env.DIRECTORY, { sub: claims.sub, jti: claims.jti, iat: claims.iat }, Date.now());
  } catch (err) {
    console.error(JSON.stringify({ level: "error", event: "revocation_check_failed", err: String(err) }));
    return false;
  }
}

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
  if (verified.ok) {
    // [V5] After the signature (and its cache): a revoked user or token id is refused on every call.
    if (await revokedNow(env, verified.claims)) {
      return { ok: false, refusal: { status: 401, code: "TOKEN_REVOKED", message: "This token (or its user) was revoked.", close: revokedClose, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } };
    }
    return { ok: true, claims: verified.claims };
  }
  const status = verified.code === "AUTH_NOT_CONFIGURED" ? 500 : 401;
  return { ok: false, refusal: { status, code: verified.code, message: verified.message, close: badToken, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } };
}
