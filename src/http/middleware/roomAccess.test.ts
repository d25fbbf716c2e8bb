import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { TestSocket } from "../../../test/helpers/socket.ts";
import { token } from "../../../test/helpers/tokens.ts";
import type { Env } from "../env.ts";
import { roomAccess } from "./roomAccess.ts";

const seen = (c: { get(k: "room"): { roomId: string; name: string; actor: unknown; claims: { sub: string } }; json(v: unknown): Response }) => {
  const { roomId, name, actor, claims } = c.get("room");
  return c.json({ roomId, name, actor, sub: claims.sub });
};

const app = new Hono<{ Bindings: Env }>()
  .get("/rooms/:roomId", roomAccess(), seen)
  .get("/tables/:id", roomAccess({ param: "id", name: (id) => `table:${id}`, pattern: /^[a-z]{1,8}$/, invalid: { status: 404, code: "ROOM_NOT_FOUND", message: "No table." } }), seen)
  .get("/teams", roomAccess({ query: "code", normalize: (raw) => raw.toUpperCase(), pattern: /^[A-Z]{3}$/ }), seen)
  .post("/rooms/:roomId/reset", roomAccess({ scope: "rooms:admin" }), seen)
  .get("/ws/:roomId", roomAccess({ upgrade: true }), seen)
  .get("/game/:roomId", roomAccess({ upgrade: true, refuse: "close" }), seen)
  .get("/campaigns/:roomId", roomAccess({ kind: "campaign" }), seen);

const get = (path: string, headers: Record<string, string> = {}, bindings: Env = env) => app.request(`https://hearth.test${path}`, { headers }, bindings);
const ws = { Upgrade: "websocket" };
const bearer = async (claims: Parameters<typeof token>[0]) => ({ Authorization: `Bearer ${await token(claims)}` });

async function closeOf(res: Response) {
  expect(res.status).toBe(101);
  const socket = new TestSocket(res.webSocket!);
  res.webSocket!.accept();
  return socket.waitClosed();
}

describe("roomAccess", () => {
  it("puts the room id, its object's name, the actor and the claims on the context", async () => {
    const res = await get("/rooms/A1", await bearer({ sub: "ann", name: "Ann" }));
    expect(await res.json()).toEqual({ roomId: "A1", name: "A1", actor: { userId: "ann", name: "Ann", role: "member", service: false, scopes: [] }, sub: "ann" });
  });

  it("reads the id from the named param or query, normalizes it and maps it to the object's name", async () => {
    expect(await (await get("/tables/oak", await bearer({ sub: "a" }))).json()).toMatchObject({ roomId: "oak", name: "table:oak" });
    expect(await (await get("/teams?code=xyz", await bearer({ sub: "a" }))).json()).toMatchObject({ roomId: "XYZ", name: "XYZ" });
  });

  it("HTTP: the token first (401), then the scope (403), then the id (its own refusal), then the room (403)", async () => {
    expect(await (await get("/rooms/bad.id")).json()).toMatchObject({ error: { code: "TOKEN_MISSING" } });
    expect((await get("/rooms/A1", { Authorization: "Bearer garbage" })).status).toBe(401);
    const reset = await app.request("/rooms/bad.id/reset", { method: "POST", headers: await bearer({ sub: "a" }) }, env);
    expect(await reset.json()).toMatchObject({ error: { code: "SCOPE_REQUIRED" } });
    expect(await (await get("/rooms/bad.id", await bearer({ sub: "a" }))).json()).toMatchObject({ error: { code: "BAD_ROOM_ID" } });
    const table = await get("/tables/OAK", await bearer({ sub: "a" }));
    expect([table.status, await table.json()]).toEqual([404, { error: { code: "ROOM_NOT_FOUND", message: "No table." } }]);
    const confined = await get("/rooms/A1", await bearer({ sub: "a", rooms: { B2: "member" } }));
    expect([confined.status, ((await confined.json()) as { error: { code: string } }).error.code]).toEqual([403, "ROOM_FORBIDDEN"]);
    expect(await (await get("/rooms/B2", await bearer({ sub: "a", rooms: { B2: "viewer" } }))).json()).toMatchObject({ actor: { role: "viewer" } });
  });

  it("[H12] a rooms claim names one system's room: relay room X's claim opens no campaign X, and campaign:X's opens no relay room X", async () => {
    const relayX = await bearer({ sub: "a", rooms: { X1: "viewer" } });
    expect((await get("/rooms/X1", relayX)).status).toBe(200);
    const other = await get("/campaigns/X1", relayX);
    expect([other.status, ((await other.json()) as { error: { code: string } }).error.code]).toEqual([403, "ROOM_FORBIDDEN"]);
    const campaignX = await bearer({ sub: "a", rooms: { "campaign:X1": "player" } });
    expect(await (await get("/campaigns/X1", campaignX)).json()).toMatchObject({ name: "campaign:X1", actor: { role: "player" } });
    expect((await get("/rooms/X1", campaignX)).status).toBe(403);
  });

  it("upgrades: the id is checked first, then Upgrade (426), Origin (403), token (401)", async () => {
    expect((await get("/ws/bad.id")).status).toBe(400);
    expect((await get("/ws/A1", await bearer({ sub: "a" }))).status).toBe(426);
    const prod = { ...env, HEARTH_DEV_AUTH: undefined, HEARTH_ALLOWED_ORIGINS: "https://app.example" };
    const evil = await get("/ws/A1", { ...ws, Origin: "https://evil.example", ...(await bearer({ sub: "a" })) }, prod);
    expect([evil.status, ((await evil.json()) as { error: { code: string } }).error.code]).toEqual([403, "ORIGIN_NOT_ALLOWED"]);
    expect((await get("/ws/A1", { ...ws, Origin: "https://app.example", ...(await bearer({ sub: "a" })) }, prod)).status).toBe(200);
    expect((await get("/ws/A1", ws)).status).toBe(401);
  });

  it("refuse: close answers with the table's codes: 4004 malformed id, 4001 token, 4003 room or origin", async () => {
    expect(await closeOf(await get("/game/bad.id", { ...ws, ...(await bearer({ sub: "a" })) }))).toEqual({ code: 4004, reason: "Session not found" });
    // Malformed ids are refused before the token is even looked at: they never reach an object.
    expect((await closeOf(await get("/game/bad.id?token=garbage", ws))).code).toBe(4004);
    expect(await closeOf(await get("/game/A1?token=garbage", ws))).toEqual({ code: 4001, reason: "Invalid token" });
    expect((await closeOf(await get("/game/A1", { ...ws, ...(await bearer({ sub: "a", rooms: { B2: "member" } })) }))).code).toBe(4003);
    const prod = { ...env, HEARTH_DEV_AUTH: undefined, HEARTH_ALLOWED_ORIGINS: "https://app.example" };
    expect(await closeOf(await get("/game/A1", { ...ws, Origin: "https://evil.example" }, prod))).toEqual({ code: 4003, reason: "Origin not allowed" });
    // A close needs a socket: without an upgrade there is only 426.
    expect((await get("/game/bad.id")).status).toBe(426);
  });

  it("a client offering `hearth` gets close codes on any upgrade route, with `hearth` echoed", async () => {
    const res = await get("/ws/bad.id", { ...ws, "Sec-WebSocket-Protocol": "hearth" });
    expect(res.headers.get("Sec-WebSocket-Protocol")).toBe("hearth");
    expect(await closeOf(res)).toEqual({ code: 4004, reason: "Session not found" });
    expect((await closeOf(await get("/ws/A1?token=garbage", { ...ws, "Sec-WebSocket-Protocol": "hearth" }))).code).toBe(4001);
  });

  it("a browser (Origin) refused for its token gets 4001 with the reason on an http-style route; other refusals and other clients keep the route's style", async () => {
    const origin = { ...ws, Origin: "https://hearth.test" };
    expect(await closeOf(await get("/ws/A1?token=garbage", origin))).toEqual({ code: 4001, reason: "Invalid token" });
    expect(await closeOf(await get("/ws/A1", origin))).toEqual({ code: 4001, reason: "Invalid token" });
    // Not for the token: the route's JSON (a malformed id, a foreign room), and no Origin: JSON 401.
    expect((await get("/ws/bad.id?token=garbage", origin)).status).toBe(400);
    expect((await get("/ws/A1", { ...origin, ...(await bearer({ sub: "a", rooms: { B2: "member" } })) })).status).toBe(403);
    expect((await get("/ws/A1?token=garbage", ws)).status).toBe(401);
    // A disallowed Origin is still refused as such (403), before the token is read.
    const prod = { ...env, HEARTH_DEV_AUTH: undefined, HEARTH_ALLOWED_ORIGINS: "https://app.example" };
    expect((await get("/ws/A1?token=garbage", { ...ws, Origin: "https://evil.example" }, prod)).status).toBe(403);
  });
});
