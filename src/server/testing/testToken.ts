import { SignJWT } from "jose";

/** The HS256 secret a test Worker is given (its HEARTH_JWT_SECRET binding) and tokens are signed with. Never deploy it. */
export const TEST_SECRET = "hearth-test-secret-do-not-deploy";

export interface TestTokenClaims {
  sub: string;
  name?: string;
  /** The role in every room (default: `member`). */
  role?: string;
  /** Room object name -> role: confines the token to these rooms. */
  rooms?: Record<string, string>;
  /** Hearth scopes, space-separated: `rooms:admin`, `events:publish`. */
  scope?: string;
  jti?: string;
}

/** An HS256 token such as the Worker verifies with HEARTH_JWT_SECRET (local and test configs). */
export async function testToken(claims: TestTokenClaims, options: { secret?: string; ttlSec?: number } = {}): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSec ?? 3600}s`)
    .sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}
