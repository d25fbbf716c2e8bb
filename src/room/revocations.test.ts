import { describe, expect, it } from "vitest";
import { refusedUntil, refuses, tokenSubject, userSubject } from "./revocations.ts";

describe("revocation rows [V2]", () => {
  const now = 1_000_000_000_000;
  const user = { subject: userSubject("ann"), revoked_at: now, expires_at: now + 60_000 };
  it("a user row refuses that user's tokens issued at or before it, or without iat", () => {
    expect(refuses(user, { sub: "ann", iat: now / 1000 }, now)).toBe(true);
    expect(refuses(user, { sub: "ann", iat: now / 1000 - 10 }, now)).toBe(true);
    expect(refuses(user, { sub: "ann" }, now)).toBe(true);
    expect(refuses(user, { sub: "ann", iat: now / 1000 + 1 }, now)).toBe(false);
    expect(refuses(user, { sub: "bob" }, now)).toBe(false);
  });
  it("a token row refuses that jti whatever its iat; nothing once expired", () => {
    const tok = { subject: tokenSubject("j1"), revoked_at: now, expires_at: now + 60_000 };
    expect(refuses(tok, { sub: "ann", jti: "j1", iat: now / 1000 + 5 }, now)).toBe(true);
    expect(refuses(tok, { sub: "ann", jti: "j2" }, now)).toBe(false);
    expect(refuses(tok, { sub: "ann" }, now)).toBe(false);
    expect(refuses(tok, { sub: "ann", jti: "j1" }, now + 60_000)).toBe(false);
    expect(refuses(user, { sub: "ann" }, now + 60_000)).toBe(false);
  });
  it("a user id that looks like a jti subject is another subject", () => {
    expect(refuses({ subject: userSubject("j:x"), revoked_at: now, expires_at: now + 1 }, { sub: "x", jti: "x" }, now)).toBe(false);
  });
  it("refusedUntil: the latest expiry among the rows that refuse the token, null when none does", () => {
    const tok = { subject: tokenSubject("j1"), revoked_at: now, expires_at: now + 120_000 };
    const later = { subject: userSubject("ann"), revoked_at: now, expires_at: now + 30_000 };
    expect(refusedUntil([later, tok], { sub: "ann", jti: "j1" }, now)).toBe(now + 120_000);
    expect(refusedUntil([later, tok], { sub: "ann", jti: "j2", iat: now / 1000 - 1 }, now)).toBe(now + 30_000);
    expect(refusedUntil([later, tok], { sub: "bob", jti: "j2" }, now)).toBeNull();
  });
});
