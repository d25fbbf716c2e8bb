import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { registry } from "../src/systems/registry.ts";
import { createApp } from "../src/worker/app.ts";
import { newRoom } from "./helpers/rooms.ts";
import { api, connect } from "./helpers/socket.ts";
import { adminToken, TEST_SECRET, token } from "./helpers/tokens.ts";

const b64url = (s: string) => btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const sec = () => Math.floor(Date.now() / 1000);

async function badTokens(): Promise<Record<string, string>> {
  const key = new TextEncoder().encode(TEST_SECRET);
  return {
    expired: await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(sec() - 300).sign(key),
    notYetValid: await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "HS256" }).setNotBefore(sec() + 600).setExpirationTime(sec() + 900).sign(key),
    algNone: `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify({ sub: "a", exp: sec() + 60 }))}.`,
    wrongKey: await token({ sub: "a" }, { secret: "not-the-secret" }),
    garbage: "garbage",
  };
}

describe("auth matrix on HTTP", () => {
  it("no token: 401 TOKEN_MISSING", async () => {
    const roomId = await newRoom();
    const res = await api("GET", `/api/rooms/${roomId}`, null);
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: "TOKEN_MISSING", message: expect.any(String) });
  });

  it("expired, not-yet-valid, alg none, wrong key, garbage: 401", async () => {
    const roomId = await newRoom();
    for (const [name, t] of Object.entries(await badTokens())) {
      const res = await api("GET", `/api/rooms/${roomId}`, t);
      expect(res.status, name).toBe(401);
      expect(res.json.error.code, name).toBe(name === "expired" ? "TOKEN_EXPIRED" : "TOKEN_INVALID");
    }
  });

  it("a token for room A is refused on room B (403), accepted on A with its per-room role", async () => {
    const a = await newRoom();
    const b = await newRoom();
    const scoped = await token({ sub: "ann", rooms: { [a]: "viewer" } });
    expect((await api("GET", `/api/rooms/${b}`, scoped)).status).toBe(403);
    expect((await api("GET", `/api/rooms/${a}`, scoped)).status).toBe(200);
    const pub = await api("POST", `/api/rooms/${a}/events`, scoped, { type: "publish", data: 1 });
    expect(pub.status).toBe(403); // viewer in A
  });

  it("admin calls need the rooms:admin scope", async () => {
    const res = await api("POST", "/api/rooms", await token({ sub: "u", scope: "events:publish" }), {});
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("SCOPE_REQUIRED");
  });

  it("unknown rooms are 404 and bad ids 400", async () => {
    expect((await api("GET", "/api/rooms/nope-nope", await adminToken())).status).toBe(404);
    expect((await api("GET", "/api/rooms/bad:id", await adminToken())).status).toBe(400);
    expect((await api("POST", "/api/rooms/nope-nope/events", await adminToken(), { type: "publish", data: 1 })).json.error.code).toBe("ROOM_NOT_FOUND");
  });

  it("malformed bodies are 400 BAD_JSON / BAD_COMMAND with zod issues", async () => {
    const roomId = await newRoom();
    const raw = await api("POST", `/api/rooms/${roomId}/events`, await adminToken(), "{oops");
    expect(raw.status).toBe(400);
    expect(raw.json.error.code).toBe("BAD_JSON");
    const bad = await api("POST", `/api/rooms/${roomId}/events`, await adminToken(), { type: "publish" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "BAD_COMMAND", details: [expect.objectContaining({ path: "data" })] });
  });
});

describe("auth matrix on WebSocket upgrades", () => {
  it("refuses before the upgrade: no token 401, bad tokens 401, other room 403, unknown room 404", async () => {
    const roomId = await newRoom();
    const none = await connect(`/ws/rooms/${roomId}`);
    expect(none.socket).toBeNull();
    expect(none.response.status).toBe(401);
    for (const [name, t] of Object.entries(await badTokens())) {
      const r = await connect(`/ws/rooms/${roomId}?token=${t}`);
      expect(r.response.status, name).toBe(401);
    }
    const other = await connect(`/ws/rooms/${roomId}?token=${await token({ sub: "a", rooms: { elsewhere: "member" } })}`);
    expect(other.response.status).toBe(403);
    const missing = await connect(`/ws/rooms/not-a-room?token=${await token({ sub: "a" })}`);
    expect(missing.response.status).toBe(404);
    expect(await missing.response.json()).toMatchObject({ error: { code: "ROOM_NOT_FOUND" } });
  });

  it("accepts the token as a `bearer.` subprotocol and echoes `hearth`, never the token", async () => {
    const roomId = await newRoom();
    const t = await token({ sub: "ann" });
    const r = await connect(`/ws/rooms/${roomId}`, { headers: { "Sec-WebSocket-Protocol": `hearth, bearer.${t}` } });
    expect(r.response.status).toBe(101);
    expect(r.response.headers.get("Sec-WebSocket-Protocol")).toBe("hearth");
    expect(await r.socket!.next()).toMatchObject({ type: "snapshot" });
  });

  it("accepts Authorization: Bearer on the upgrade (non-browser clients)", async () => {
    const roomId = await newRoom();
    const r = await connect(`/ws/rooms/${roomId}`, { headers: { Authorization: `Bearer ${await token({ sub: "svc" })}` } });
    expect(r.response.status).toBe(101);
  });

  it("the identity header cannot be forged from outside", async () => {
    const roomId = await newRoom();
    const forged = JSON.stringify({ roomId, actor: { userId: "admin", name: "x", role: "admin", service: true, scopes: ["rooms:admin"] }, params: {}, expiresAt: null });
    const r = await connect(`/ws/rooms/${roomId}?token=${await token({ sub: "ann" })}`, { headers: { "x-hearth-connect": forged } });
    const snap = await r.socket!.next();
    expect(snap).toMatchObject({ type: "snapshot", state: { online: [{ id: "ann", name: "ann" }] } });
  });

  it("plain GET on a socket route is 426", async () => {
    const roomId = await newRoom();
    expect((await api("GET", `/ws/rooms/${roomId}`, await adminToken())).status).toBe(426);
  });
});

describe("origins and dev tokens", () => {
  const app = createApp(registry);
  const prodEnv = { ...env, HEARTH_DEV_AUTH: undefined, HEARTH_ALLOWED_ORIGINS: "https://app.example" };

  it("POST /dev/token mints a usable token locally", async () => {
    const res = await api("POST", "/dev/token", null, { sub: "dev-user", name: "Dev", scope: "rooms:admin" });
    expect(res.status).toBe(200);
    expect((await api("POST", "/api/rooms", res.json.token, {})).status).toBe(201);
  });

  it("POST /dev/token is 404 without HEARTH_DEV_AUTH=1 (production)", async () => {
    const res = await app.request("/dev/token", { method: "POST", body: JSON.stringify({ sub: "x" }) }, prodEnv);
    expect(res.status).toBe(404);
  });

  it("browser upgrades from origins outside the allowlist are 403; allowed ones pass", async () => {
    const roomId = await newRoom();
    const t = await token({ sub: "a" });
    const evil = await app.request(`/ws/rooms/${roomId}?token=${t}`, { headers: { Upgrade: "websocket", Origin: "https://evil.example" } }, prodEnv);
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: "ORIGIN_NOT_ALLOWED" } });
    const good = await app.request(`/ws/rooms/${roomId}?token=${t}`, { headers: { Upgrade: "websocket", Origin: "https://app.example" } }, prodEnv);
    expect(good.status).toBe(101);
    good.webSocket?.accept();
    good.webSocket?.close();
  });

  it("without an allowlist, production allows only same-origin browser upgrades", async () => {
    const roomId = await newRoom();
    const t = await token({ sub: "a" });
    const bare = { ...env, HEARTH_DEV_AUTH: undefined, HEARTH_ALLOWED_ORIGINS: undefined };
    const cross = await app.request(`https://hearth.test/ws/rooms/${roomId}?token=${t}`, { headers: { Upgrade: "websocket", Origin: "https://other.example" } }, bare);
    expect(cross.status).toBe(403);
  });
});

describe("refusals for SDK clients", () => {
  it("a client offering `hearth` gets close codes instead of HTTP errors (browsers can't read those)", async () => {
    const roomId = await newRoom();
    const bad = await connect(`/ws/rooms/${roomId}?token=garbage`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(bad.response.status).toBe(101);
    expect(await bad.socket!.waitClosed()).toEqual({ code: 4001, reason: "Invalid token" });
    const missing = await connect(`/ws/rooms/nowhere?token=${await token({ sub: "a" })}`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(await missing.socket!.waitClosed()).toEqual({ code: 4004, reason: "Session not found" });
    const foreign = await connect(`/ws/rooms/${roomId}`, { headers: { "Sec-WebSocket-Protocol": `hearth, bearer.${await token({ sub: "a", rooms: { other: "member" } })}` } });
    expect((await foreign.socket!.waitClosed()).code).toBe(4003);
  });
});
