import { SignJWT } from "jose";

export const TEST_SECRET = "test-secret-do-not-use-anywhere-else";

export interface TokenClaims {
  sub: string;
  name?: string;
  role?: string;
  rooms?: Record<string, string>;
  scope?: string;
  /** Token id (revocation by `jti`). */
  jti?: string;
}

/** An HS256 token as the local config verifies it. */
export async function token(claims: TokenClaims, opts: { ttlSec?: number; secret?: string; nbf?: number } = {}): Promise<string> {
  let jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime(`${opts.ttlSec ?? 3600}s`);
  if (opts.nbf !== undefined) jwt = jwt.setNotBefore(opts.nbf);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? TEST_SECRET));
}

export const adminToken = () => token({ sub: "svc-admin", name: "Admin", scope: "rooms:admin events:publish" });
