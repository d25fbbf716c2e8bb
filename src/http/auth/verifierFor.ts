import type { Env } from "../env.ts";
import { createTokenVerifier, type TokenVerifier } from "./tokenVerifier.ts";

let cached: { key: string; verify: TokenVerifier } | null = null;

/** One verifier per isolate and configuration, so the JWKS cache outlives a request. */
export function verifierFor(env: Env): TokenVerifier {
  const key = [env.HEARTH_JWKS_URL, env.HEARTH_JWT_SECRET, env.HEARTH_JWT_ISSUER, env.HEARTH_JWT_AUDIENCE].join("\u0000");
  if (cached?.key !== key) {
    cached = {
      key,
      verify: createTokenVerifier({
        ...(env.HEARTH_JWKS_URL ? { jwksUrl: env.HEARTH_JWKS_URL } : {}),
        ...(env.HEARTH_JWT_SECRET ? { secret: env.HEARTH_JWT_SECRET } : {}),
        ...(env.HEARTH_JWT_ISSUER ? { issuer: env.HEARTH_JWT_ISSUER } : {}),
        ...(env.HEARTH_JWT_AUDIENCE ? { audience: env.HEARTH_JWT_AUDIENCE } : {}),
      }),
    };
  }
  return cached.verify;
}
