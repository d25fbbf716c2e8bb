import { CloseCode, CloseReason } from "../../core/closeCodes.ts";
import type { Env } from "../env.ts";
import type { Refusal } from "../refusal.ts";
import type { HearthClaims } from "./claims.ts";
import { REVOKED_MESSAGE, REVOKED_REASON, type TokenIdentity } from "../../room/revocations.ts";
import { revocationCheck } from "./revocationCheck.ts";
import { verifierFor } from "./verifierFor.ts";

const identityOf = (claims: HearthClaims): TokenIdentity => ({ sub: claims.sub, jti: claims.jti, iat: claims.iat });
const badToken = { code: CloseCode.invalidToken, reason: CloseReason.invalidToken };
const revokedClose = { code: CloseCode.invalidToken, reason: REVOKED_REASON };

/**
 * [V6] D1 unreachable: the call goes on (logged at error level). Revocation is a second line
 * behind expiry; failing closed would turn a D1 outage into every user's outage.
 */
async function revokedNow(env: Env, claims: HearthClaims): Promise<boolean> {
  if (!env.DIRECTORY) return false;
  try {
    return await revocationCheck.revoked(env.DIRECTORY, identityOf(claims), Date.now());
  } catch (err) {
    console.error(JSON.stringify({ level: "error", event: "revocation_check_failed", err: String(err) }));
    return false;
  }
}

const revokedRefusal: Refusal = { status: 401, code: "TOKEN_REVOKED", message: REVOKED_MESSAGE, close: revokedClose, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } };

/**
 * The one token check behind requireAuth and roomAccess, for HTTP calls and
 * WebSocket upgrades alike: the claims, or why not (401; 500 when the server
 * has no verification configured).
 *
 * `deferRevocation` (an upgrade the worker hands to a room): when this isolate has no answer
 * cached for the token, D1 is not read here; `revocationDeferred` says the room must read it
 * before it admits the socket ([V5], [V8]). A worker can't share one D1 read among concurrent
 * requests (each request's I/O is its own), and a room can: a storm of connects to a room costs
 * a few D1 batches there instead of a read per socket here.
 */
export async function authenticate(
  env: Env,
  token: string | null,
  options: { deferRevocation?: boolean } = {},
): Promise<{ ok: true; claims: HearthClaims; revocationDeferred?: true } | { ok: false; refusal: Refusal }> {
  if (!token) {
    return { ok: false, refusal: { status: 401, code: "TOKEN_MISSING", message: "A bearer token is required.", close: badToken, headers: { "WWW-Authenticate": "Bearer" } } };
  }
  const verified = await verifierFor(env)(token);
  if (verified.ok) {
    // [V5] After the signature (and its cache): a revoked user or token id is refused on every call.
    if (options.deferRevocation && env.DIRECTORY) {
      const known = revocationCheck.cached(identityOf(verified.claims), Date.now());
      if (known === true) return { ok: false, refusal: revokedRefusal };
      return known === false ? { ok: true, claims: verified.claims } : { ok: true, claims: verified.claims, revocationDeferred: true };
    }
    if (await revokedNow(env, verified.claims)) return { ok: false, refusal: revokedRefusal };
    return { ok: true, claims: verified.claims };
  }
  const status = verified.code === "AUTH_NOT_CONFIGURED" ? 500 : 401;
  return { ok: false, refusal: { status, code: verified.code, message: verified.message, close: badToken, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } } };
}
