import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from "jose";
import { hearthClaims, type HearthClaims } from "./claims.ts";
import { VerifiedTokens, VERIFIED_TOKENS_MAX } from "./verifiedTokens.ts";

export interface TokenVerifierOptions {
  /** HS256 secret (local runs). Ignored when `jwksUrl` is set. */
  secret?: string;
  /** RS256/ES256 via JWKS (production). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew tolerated on exp/nbf. */
  clockToleranceSec?: number;
  /** An unknown `kid` refetches the JWKS at most once per this many ms. */
  jwksCooldownMs?: number;
  jwksCacheMaxAgeMs?: number;
  /** For tests: how the JWKS is fetched. */
  fetchJwks?: (url: string, init: RequestInit) => Promise<Response>;
  /** Verified tokens remembered until they expire (verifiedTokens.ts); 0 turns it off. */
  rememberMax?: number;
  /** For tests: the clock the remembered tokens expire by. */
  now?: () => number;
}

export type Verified =
  | { ok: true; claims: HearthClaims }
  | { ok: false; code: "TOKEN_INVALID" | "TOKEN_EXPIRED" | "AUTH_NOT_CONFIGURED"; message: string };

export type TokenVerifier = (token: string) => Promise<Verified>;

/**
 * Builds a verifier with algorithms pinned to the key type, so `alg: none`
 * and HS/RS confusion are refused by construction. The JWKS set (with its
 * cache and cooldown) lives as long as the verifier.
 *
 * @example
 * const verify = createTokenVerifier({ jwksUrl: "https://tenant.auth0.com/.well-known/jwks.json", issuer, audience });
 * const v = await verify(token); if (v.ok) v.claims.sub;
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const base: JWTVerifyOptions = {
    clockTolerance: options.clockToleranceSec ?? 30,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
      ...(options.fetchJwks ? { [customFetch]: options.fetchJwks } : {}),
    });
    algorithms = ["RS256", "ES256"];
  } else if (options.secret) {
    // Imported once: jose would otherwise import a raw secret on every verification.
    const secret = new TextEncoder().encode(options.secret);
    let imported: Promise<CryptoKey> | undefined;
    key = () => (imported ??= crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]));
    algorithms = ["HS256"];
  } else {
    return async () => ({ ok: false, code: "AUTH_NOT_CONFIGURED", message: "No token verification is configured on this server." });
  }

  const max = options.rememberMax ?? VERIFIED_TOKENS_MAX;
  const remembered = max > 0 ? new VerifiedTokens(max) : undefined;
  const now = options.now ?? Date.now;
  return async (token) => {
    const hit = remembered?.get(token, now());
    if (hit) return { ok: true, claims: hit };
    try {
      const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, { ...base, algorithms, currentDate: new Date(now()) });
      const claims = hearthClaims.safeParse(payload);
      if (!claims.success) return { ok: false, code: "TOKEN_INVALID", message: "Token claims are missing or malformed (need a string `sub`)." };
      remembered?.set(token, claims.data);
      return { ok: true, claims: claims.data };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, code: "TOKEN_EXPIRED", message: "Token has expired." };
      return { ok: false, code: "TOKEN_INVALID", message: describe(err) };
    }
  };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTClaimValidationFailed) return `Token claim check failed: ${err.claim} (${err.reason}).`;
  if (err instanceof errors.JWKSNoMatchingKey) return "Token was signed with an unknown key.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "Token algorithm is not allowed.";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "Token signature is invalid.";
  return "Token is malformed or cannot be verified.";
}
