import { env } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registry } from "../src/systems/registry.ts";
import { createApp } from "../src/worker/app.ts";
import { token } from "./helpers/tokens.ts";

const JWKS_URL = "https://tenant.auth0.test/.well-known/jwks.json";
/** Production configuration: keys from the JWKS URL only, no shared secret, no /dev/token. */
const prodEnv = { ...env, HEARTH_JWKS_URL: JWKS_URL, HEARTH_JWT_SECRET: undefined, HEARTH_DEV_AUTH: undefined };

async function auth0Like() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "auth0-1", alg: "RS256", use: "sig" };
  const real = globalThis.fetch;
  // The app runs in this isolate (app.request), so its JWKS fetch is answered here; rooms are reached by binding.
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return url === JWKS_URL ? Response.json({ keys: [jwk] }) : real(input, init);
  });
  const sign = (sub: string) => new SignJWT({ sub, name: sub }).setProtectedHeader({ alg: "RS256", kid: "auth0-1" }).setIssuedAt().setExpirationTime("10m").sign(privateKey);
  return { sign };
}

afterEach(() => vi.restoreAllMocks());

describe("campaign sync (seed 001): authentication through JWKS, as in production", () => {
  it("accepts the identity provider's RS256 tokens on every campaign surface and refuses locally signed ones", async () => {
    const { sign } = await auth0Like();
    const app = createApp(registry);
    const dm = `auth0|dm-${crypto.randomUUID().slice(0, 6)}`;
    const campaign_id = `jwks-${crypto.randomUUID().slice(0, 8)}`;
    const dmToken = await sign(dm);
    const json = (body: unknown) => ({ method: "POST", headers: { authorization: `Bearer ${dmToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });

    expect((await app.request("https://hearth.test/api/campaigns", json({ campaign_id, dm_user_id: dm }), prodEnv)).status).toBe(201);
    expect((await app.request(`https://hearth.test/api/campaigns/${campaign_id}/load`, json({ structured_data: { narrative: "n" } }), prodEnv)).status).toBe(200);

    const player = await app.request(`https://hearth.test/ws/campaign/player?campaign=${campaign_id}&token=${await sign("auth0|ann")}`, { headers: { Upgrade: "websocket" } }, prodEnv);
    expect(player.status).toBe(101);
    const frames: Record<string, unknown>[] = [];
    const ws = player.webSocket!;
    const active = new Promise<void>((resolve) =>
      ws.addEventListener("message", (e) => {
        frames.push(JSON.parse(String(e.data)) as Record<string, unknown>);
        if (frames.length === 2) resolve();
      }),
    );
    ws.accept();
    await active;
    expect(frames.map((f) => f.type)).toEqual(["snapshot", "campaign_active"]);
    ws.close();

    // An HS256 token (the local secret's kind) means nothing in production: 401, and close 4001 on the socket.
    const local = await token({ sub: dm });
    const refused = await app.request(`https://hearth.test/api/campaigns/${campaign_id}`, { headers: { authorization: `Bearer ${local}` } }, prodEnv);
    expect(refused.status).toBe(401);
    const closed = await app.request(`https://hearth.test/ws/campaign/dm?campaign=${campaign_id}&token=${local}`, { headers: { Upgrade: "websocket" } }, prodEnv);
    const code = new Promise<number>((resolve) => closed.webSocket!.addEventListener("close", (e) => resolve(e.code)));
    closed.webSocket!.accept();
    expect(await code).toBe(4001);
  });
});
