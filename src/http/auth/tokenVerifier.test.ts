import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { describe, expect, it, vi } from "vitest";
import { createTokenVerifier } from "./tokenVerifier.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const SECRET = "unit-secret";
const now = () => Math.floor(Date.now() / 1000);

async function hs(claims: Record<string, unknown>, opts: { secret?: string; exp?: number; nbf?: number; iss?: string; aud?: string } = {}) {
  let j = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime(opts.exp ?? now() + 600);
  if (opts.nbf !== undefined) j = j.setNotBefore(opts.nbf);
  if (opts.iss) j = j.setIssuer(opts.iss);
  if (opts.aud) j = j.setAudience(opts.aud);
  return j.sign(enc(opts.secret ?? SECRET));
}

const b64url = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

describe("createTokenVerifier (HS256, local)", () => {
  const verify = createTokenVerifier({ secret: SECRET });

  it("accepts a good token and exposes the claims", async () => {
    expect(await verify(await hs({ sub: "ann", name: "Ann", scope: "events:publish" }))).toMatchObject({ ok: true, claims: { sub: "ann", name: "Ann" } });
  });
  it("refuses an expired token as TOKEN_EXPIRED (beyond the clock tolerance)", async () => {
    expect(await verify(await hs({ sub: "a" }, { exp: now() - 120 }))).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });
  });
  it("tolerates small clock skew", async () => {
    expect(await verify(await hs({ sub: "a" }, { exp: now() - 5 }))).toMatchObject({ ok: true });
  });
  it("refuses a not-yet-valid token", async () => {
    expect(await verify(await hs({ sub: "a" }, { nbf: now() + 600 }))).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
  });
  it("refuses alg none", async () => {
    const unsigned = `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ sub: "a", exp: now() + 60 }))}.`;
    expect(await verify(unsigned)).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
  });
  it("refuses a token signed with another key", async () => {
    expect(await verify(await hs({ sub: "a" }, { secret: "other" }))).toMatchObject({ ok: false, code: "TOKEN_INVALID", message: "Token signature is invalid." });
  });
  it("refuses a token without sub", async () => {
    expect(await verify(await hs({ name: "nobody" }))).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
  });
  it("refuses garbage", async () => {
    expect(await verify("not.a.jwt")).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
  });
  it("enforces issuer and audience when configured", async () => {
    const strict = createTokenVerifier({ secret: SECRET, issuer: "https://issuer.test/", audience: "hearth" });
    expect(await strict(await hs({ sub: "a" }, { iss: "https://issuer.test/", aud: "hearth" }))).toMatchObject({ ok: true });
    expect(await strict(await hs({ sub: "a" }, { iss: "https://evil.test/", aud: "hearth" }))).toMatchObject({ ok: false, message: expect.stringContaining("iss") });
    expect(await strict(await hs({ sub: "a" }, { iss: "https://issuer.test/", aud: "other" }))).toMatchObject({ ok: false, message: expect.stringContaining("aud") });
  });
  it("says so when nothing is configured", async () => {
    expect(await createTokenVerifier({})("x")).toMatchObject({ ok: false, code: "AUTH_NOT_CONFIGURED" });
  });
});

describe("createTokenVerifier (JWKS, production)", () => {
  async function keyPair(kid: string, alg: "RS256" | "ES256") {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg, kid }).setIssuedAt().setExpirationTime("10m").sign(privateKey);
    return { jwk, sign };
  }

  function jwksServer(initial: JWK[]) {
    const state = { keys: initial, fetches: 0 };
    const fetchJwks = async () => {
      state.fetches++;
      return Response.json({ keys: state.keys });
    };
    return { state, fetchJwks };
  }

  it("accepts RS256 and ES256 keys from the set", async () => {
    const rs = await keyPair("rs-1", "RS256");
    const es = await keyPair("es-1", "ES256");
    const server = jwksServer([rs.jwk, es.jwk]);
    const verify = createTokenVerifier({ jwksUrl: "https://auth.test/.well-known/jwks.json", fetchJwks: server.fetchJwks });
    expect(await verify(await rs.sign({ sub: "a" }))).toMatchObject({ ok: true });
    expect(await verify(await es.sign({ sub: "b" }))).toMatchObject({ ok: true });
    expect(server.state.fetches).toBe(1);
  });

  it("rotation: a new kid is fetched and accepted; an unknown kid refetches at most once per cooldown", async () => {
    const k1 = await keyPair("k1", "RS256");
    const k2 = await keyPair("k2", "RS256");
    const k3 = await keyPair("k3", "RS256");
    const server = jwksServer([k1.jwk]);
    const verify = createTokenVerifier({ jwksUrl: "https://auth.test/jwks", fetchJwks: server.fetchJwks, jwksCooldownMs: 0 });
    expect(await verify(await k1.sign({ sub: "a" }))).toMatchObject({ ok: true });
    expect(server.state.fetches).toBe(1);
    server.state.keys = [k1.jwk, k2.jwk]; // the issuer rotates in k2
    expect(await verify(await k2.sign({ sub: "a" }))).toMatchObject({ ok: true });
    expect(server.state.fetches).toBe(2);

    const cooled = jwksServer([k1.jwk]);
    const slow = createTokenVerifier({ jwksUrl: "https://auth.test/jwks", fetchJwks: cooled.fetchJwks, jwksCooldownMs: 60_000 });
    expect(await slow(await k1.sign({ sub: "a" }))).toMatchObject({ ok: true });
    const unknown = await k3.sign({ sub: "a" });
    expect(await slow(unknown)).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
    expect(await slow(unknown)).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
    expect(await slow(unknown)).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
    // First fetch, then no refetch inside the cooldown however many unknown kids arrive.
    expect(cooled.state.fetches).toBe(1);
  });

  it("refuses HS256 tokens when configured for JWKS (no algorithm confusion)", async () => {
    const rs = await keyPair("rs", "RS256");
    const server = jwksServer([rs.jwk]);
    const verify = createTokenVerifier({ jwksUrl: "https://auth.test/jwks", fetchJwks: server.fetchJwks });
    expect(await verify(await hs({ sub: "a" }))).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
  });
});

describe("createTokenVerifier: tokens verified before are remembered until they expire", () => {
  it("a second verify of the same token skips the signature check; expiry still ends it; failures are not remembered", async () => {
    let t = Date.now();
    const verify = createTokenVerifier({ secret: SECRET, now: () => t });
    const good = await hs({ sub: "ann" }, { exp: now() + 60 });
    const checks = vi.spyOn(crypto.subtle, "verify");
    expect(await verify(good)).toMatchObject({ ok: true, claims: { sub: "ann" } });
    // Same token string = same signed bytes: answered from memory (a tampered copy is another string).
    const tampered = good.slice(0, -2) + (good.endsWith("A") ? "BB" : "AA");
    expect(await verify(tampered)).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
    expect(await verify(good)).toMatchObject({ ok: true, claims: { sub: "ann" } });
    expect(checks).toHaveBeenCalledTimes(2); // the first `good` and the tampered one; the second `good` came from memory
    checks.mockRestore();
    // Past exp (and past the 30 s tolerance) the remembered entry is dropped and jose refuses it.
    t += 120_000;
    expect(await verify(good)).toMatchObject({ ok: false, code: "TOKEN_EXPIRED" });
  });
});

describe("VerifiedTokens", () => {
  it("keeps at most max entries, dropping the oldest, and never keeps a token without exp", async () => {
    const { VerifiedTokens } = await import("./verifiedTokens.ts");
    const v = new VerifiedTokens(2);
    v.set("a", { sub: "a", exp: 100 });
    v.set("b", { sub: "b", exp: 100 });
    v.set("c", { sub: "c", exp: 100 });
    expect(v.size).toBe(2);
    expect(v.get("a", 0)).toBeUndefined();
    expect(v.get("c", 0)).toMatchObject({ sub: "c" });
    expect(v.get("c", 100_000)).toBeUndefined();
    v.set("forever", { sub: "f" });
    expect(v.get("forever", 0)).toBeUndefined();
  });
});
