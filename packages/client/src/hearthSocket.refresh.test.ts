import { describe, expect, it } from "vitest";
import { createHarness } from "./testing/createHarness.js";
import { refreshDelay, tokenExpiry } from "./tokenRefresh.js";

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
/** An unsigned JWT-shaped token: the SDK only reads `exp`, it never verifies. */
const jwt = (payload: Record<string, unknown>) => `${b64url('{"alg":"HS256"}')}.${b64url(JSON.stringify(payload))}.sig`;

/** getToken handing out tokens valid for `ttlSec` from the fake clock's now, numbered. */
function tokens(clock: () => number, ttlSec = 300) {
  const issued: string[] = [];
  const getToken = () => {
    const t = jwt({ sub: "ann", n: issued.length, exp: Math.floor(clock() / 1000) + ttlSec });
    issued.push(t);
    return t;
  };
  return { issued, getToken };
}

const tokenFrames = (sent: Record<string, unknown>[]) => sent.filter((f) => f.type === "hearth.token");

describe("HearthSocket: token refresh on the open socket", () => {
  it("[K6] presents a fresh token 60 s before exp and again after each ack: refreshed three times past the first token's expiry on one socket", async () => {
    let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
    const t = tokens(() => now());
    const h = createHarness({ token: undefined, getToken: t.getToken, pingIntervalMs: 0 });
    now = () => h.clock.now();
    const ws = await h.openLatest();
    const firstExp = tokenExpiry(t.issued[0]!)!;
    for (let i = 1; i <= 3; i++) {
      const due = tokenExpiry(t.issued[i - 1]!)! - 60_000;
      await h.clock.advance(due - h.clock.now() - 1);
      expect(tokenFrames(ws.sentFrames)).toHaveLength(i - 1);
      await h.clock.advance(1);
      expect(tokenFrames(ws.sentFrames)).toEqual(expect.arrayContaining([{ type: "hearth.token", token: t.issued[i] }]));
      ws.receive({ type: "hearth.token", ok: true, expiresAt: tokenExpiry(t.issued[i]!) });
    }
    expect(h.clock.now()).toBeGreaterThan(firstExp);
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("live");
    expect(h.of("refreshed")).toHaveLength(3);
    // The answers are the SDK's business: no app frame, no error.
    expect(h.of("frame")).toEqual([]);
    expect(h.of("error")).toEqual([]);
  });

  it("[K6] reads the answer in the event family and inside a batch", async () => {
    let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
    const t = tokens(() => now());
    const h = createHarness({ token: undefined, getToken: t.getToken, pingIntervalMs: 0 });
    now = () => h.clock.now();
    const ws = await h.openLatest();
    ws.receive({ event: "hearth.token", data: { ok: true, expiresAt: 5 } });
    ws.receive({ type: "batch", frames: [{ type: "hearth.token", ok: true, expiresAt: 6 }] });
    expect(h.of("refreshed")).toEqual([{ expiresAt: 5 }, { expiresAt: 6 }]);
    expect(h.of("frame")).toEqual([]);
  });

  it("[K6] a refused fresh token (close 4001) falls back to a reconnect with another fresh token", async () => {
    let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
    const t = tokens(() => now());
    const h = createHarness({ token: undefined, getToken: t.getToken, pingIntervalMs: 0 });
    now = () => h.clock.now();
    const ws = await h.openLatest();
    await h.clock.advance(240_000);
    expect(tokenFrames(ws.sentFrames)).toHaveLength(1);
    ws.serverClose(4001, "Token is for another user");
    expect(h.of("close").at(-1)).toMatchObject({ code: 4001, final: false, retryInMs: 0 });
    await h.clock.advance(0);
    const next = await h.openLatest();
    expect(h.sockets).toHaveLength(2);
    expect(next.protocols).toContain(`bearer.${t.issued[2]}`);
    next.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" });
    expect(h.client.state).toBe("live");
  });

  it("[K6] an ok:false answer is reported (TOKEN_REFRESH_REFUSED) and refreshing stops on that socket", async () => {
    let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
    const t = tokens(() => now());
    const h = createHarness({ token: undefined, getToken: t.getToken, pingIntervalMs: 0 });
    now = () => h.clock.now();
    const ws = await h.openLatest();
    await h.clock.advance(240_000);
    ws.receive({ type: "hearth.token", ok: false, code: "AUTH_NOT_CONFIGURED" });
    await h.clock.advance(50_000);
    expect(tokenFrames(ws.sentFrames)).toHaveLength(1);
    expect(h.of("error").map((e) => e.code)).toEqual(["TOKEN_REFRESH_REFUSED"]);
  });

  it("[K6] refreshMarginMs: 0 disables refresh; a fixed token or one without exp never refreshes", async () => {
    for (const options of [{ refreshMarginMs: 0 }, { getToken: undefined, token: jwt({ sub: "a", exp: 2_000 }) }, { getToken: () => "opaque-token" }]) {
      let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
      const t = tokens(() => now());
      const h = createHarness({ token: undefined, getToken: t.getToken, pingIntervalMs: 0, ...options });
      now = () => h.clock.now();
      const ws = await h.openLatest();
      await h.clock.advance(290_000);
      expect(tokenFrames(ws.sentFrames), JSON.stringify(options)).toEqual([]);
    }
  });

  it("[K6] a refresh whose getToken fails is retried while the token lasts", async () => {
    let now = () => 1_000_000; // the fake clock's start: getToken runs inside the constructor
    let fail = true;
    const t = tokens(() => now());
    const h = createHarness({ token: undefined, getToken: () => (fail && t.issued.length > 0 ? Promise.reject(new Error("idp down")) : t.getToken()), pingIntervalMs: 0 });
    now = () => h.clock.now();
    const ws = await h.openLatest();
    await h.clock.advance(240_000);
    expect(h.of("error").map((e) => e.code)).toEqual(["TOKEN_FAILED"]);
    fail = false;
    await h.clock.advance(30_000);
    expect(tokenFrames(ws.sentFrames)).toHaveLength(1);
  });

  it("[K6] a refresh begun on one connection never reaches the next one", async () => {
    let release!: (t: string) => void;
    let calls = 0;
    let now = () => 1_000_000;
    const h = createHarness({
      token: undefined,
      pingIntervalMs: 0,
      getToken: () => (++calls === 2 ? new Promise<string>((r) => (release = r)) : jwt({ sub: "a", exp: Math.floor(now() / 1000) + 300 })),
    });
    now = () => h.clock.now();
    const first = await h.openLatest();
    await h.clock.advance(240_000);
    first.serverClose(1012);
    await h.clock.advance(1_000);
    const second = await h.openLatest();
    release(jwt({ sub: "a", exp: 9_999_999 }));
    await h.settle();
    expect(tokenFrames(first.sentFrames)).toEqual([]);
    expect(tokenFrames(second.sentFrames)).toEqual([]);
  });
});

describe("tokenExpiry / refreshDelay", () => {
  it("[K6] reads exp from a JWT payload (base64url) without verifying; anything else has none", () => {
    expect(tokenExpiry(jwt({ sub: "ü?>", exp: 1_700_000_000 }))).toBe(1_700_000_000_000);
    expect(tokenExpiry(jwt({ sub: "a" }))).toBeUndefined();
    expect(tokenExpiry("opaque")).toBeUndefined();
    expect(tokenExpiry("a.!!!.c")).toBeUndefined();
  });

  it("[K6] refreshes `margin` before exp, but a token shorter than the margin at half its remaining life", () => {
    expect(refreshDelay(300_000, 0, 60_000)).toBe(240_000);
    expect(refreshDelay(30_000, 0, 60_000)).toBe(15_000);
    expect(refreshDelay(500, 0, 60_000)).toBe(1_000);
  });
});
