import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { CONNECT_HEADER, type ConnectRequest } from "../src/room/rpc.ts";
import { client as gamesClient, createRoom, newLobby } from "./helpers/games.ts";
import { newRoom } from "./helpers/rooms.ts";
import { api, connect, open, TestSocket } from "./helpers/socket.ts";
import { adminToken, TEST_SECRET, token } from "./helpers/tokens.ts";

// Revocation (issue 24 item 7; docs/security.md [V1]..[V7]).

const uid = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

async function newSession(): Promise<string> {
  const res = await api("POST", "/api/sessions", await token({ sub: "rollscape-api", scope: "events:publish" }), { campaign_id: 7, dm_user_id: uid("dm") });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.session_id as string;
}

const revoke = async (body: unknown) => api("POST", "/api/revocations", await adminToken(), body);

/** Waits until the socket has had its first frame: the room accepted it (and recorded where it is). */
async function opened(path: string): Promise<TestSocket> {
  const s = await open(path);
  await s.next();
  return s;
}

/**
 * Waits until the room's D1 work queued so far has landed, without a timer: a token the worker has
 * never seen is read by the room in its SocketRoomLedger, which runs in order, one batch at a time
 * ([V8]), so once that socket has its first frame every earlier insert and delete is in D1.
 */
async function flushLedger(path: string) {
  const s = await opened(`${path}${path.includes("?") ? "&" : "?"}token=${await token({ sub: uid("flush"), jti: uid("jti") })}`);
  s.close();
  await s.waitClosed();
}

async function stillOpen(s: TestSocket) {
  await s.settle();
  expect(s.closed).toBeNull();
}

describe("revocation", () => {
  it("[V3] a revoked user's sockets in three rooms of two systems all close 4001, within 1 s", async () => {
    const user = uid("banned");
    const t = await token({ sub: user, name: user, jti: uid("jti") });
    const [a, b, session] = await Promise.all([newRoom(), newRoom(), newSession()]);
    const sockets = [await opened(`/ws/rooms/${a}?token=${t}`), await opened(`/ws/rooms/${b}?token=${t}`), await opened(`/ws/game/${session}?token=${t}`)];
    const bystander = await opened(`/ws/rooms/${a}?token=${await token({ sub: uid("other") })}`);

    const started = performance.now();
    const res = await revoke({ user_id: user, reason: "banned" });
    const answered = performance.now() - started;
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const closes = await Promise.all(
      sockets.map(async (s) => {
        const c = await s.waitClosed(2000);
        return { ...c, ms: performance.now() - started };
      }),
    );
    const last = Math.max(...closes.map((c) => c.ms));
    console.info(`[V3] revocation: ${res.json.rooms} rooms asked, ${res.json.closed} sockets closed, answered in ${answered.toFixed(1)} ms, last close after ${last.toFixed(1)} ms`);
    for (const c of closes) expect(c).toMatchObject({ code: 4001, reason: "Token revoked" });
    expect(res.json).toMatchObject({ ok: true, user_id: user, rooms: 3, closed: 3, failed: 0 });
    expect(last).toBeLessThan(1000);
    await stillOpen(bystander);
    bystander.close();
  });

  it("[V5] after a user's revocation, a new connection and an HTTP call with their token are refused (401 / 4001); a token issued later passes", async () => {
    const user = uid("gone");
    const t = await token({ sub: user });
    const room = await newRoom();
    expect((await api("GET", `/api/rooms/${room}`, t)).status).toBe(200); // verified and remembered by the isolate
    expect((await revoke({ user_id: user })).json).toMatchObject({ ok: true, rooms: 0, closed: 0 });

    const http = await api("GET", `/api/rooms/${room}`, t);
    expect(http.status).toBe(401);
    expect(http.json.error.code).toBe("TOKEN_REVOKED");
    const refused = await connect(`/ws/rooms/${room}?token=${t}`);
    expect(refused.socket).toBeNull();
    expect(refused.response.status).toBe(401);
    const sdk = await open(`/ws/rooms/${room}?token=${t}`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(await sdk.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    const session = await newSession();
    const game = await connect(`/ws/game/${session}?token=${t}`);
    expect(game.socket ? (await game.socket.waitClosed()).code : game.response.status).toBeOneOf([401, 4001]);

    // The identity provider let the user back in: a token issued after the revocation is good.
    const later = await new SignJWT({ sub: user })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(Math.floor(Date.now() / 1000) + 2)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect((await api("GET", `/api/rooms/${room}`, later)).status).toBe(200);
  });

  it("[V3] a jti revocation closes only that token's sockets, and refuses only that token", async () => {
    const user = uid("two-tabs");
    const [jA, jB] = [uid("jti-a"), uid("jti-b")];
    const [tA, tB] = [await token({ sub: user, jti: jA }), await token({ sub: user, jti: jB })];
    const [room, session] = await Promise.all([newRoom(), newSession()]);
    const ofA = [await opened(`/ws/rooms/${room}?token=${tA}`), await opened(`/ws/game/${session}?token=${tA}`)];
    const ofB = [await opened(`/ws/rooms/${room}?token=${tB}`), await opened(`/ws/game/${session}?token=${tB}`)];

    const res = await revoke({ jti: jA });
    expect(res.json).toMatchObject({ ok: true, jti: jA, rooms: 2, closed: 2 });
    for (const s of ofA) expect(await s.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    for (const s of ofB) await stillOpen(s);

    expect((await api("GET", `/api/rooms/${room}`, tA)).status).toBe(401);
    expect((await api("GET", `/api/rooms/${room}`, tB)).status).toBe(200);
    for (const s of ofB) s.close();
  });

  it("[V4] a connect that passed the worker's check just before the revocation is closed by the room itself", async () => {
    const user = uid("racer");
    const jti = uid("jti");
    const room = await newRoom();
    expect((await revoke({ jti })).status).toBe(200);
    // As if the worker had checked before the row existed: straight to the room, token already revoked.
    const connect: ConnectRequest = { roomId: room, actor: { userId: user, name: user, role: "member", service: false, scopes: [] }, params: {}, expiresAt: Date.now() + 60_000, jti, iat: Math.floor(Date.now() / 1000) };
    const stub = env.ROOMS.get(env.ROOMS.idFromName(room));
    const res = await stub.fetch(new Request("https://room/connect", { headers: { Upgrade: "websocket", [CONNECT_HEADER]: JSON.stringify(connect) } }));
    expect(res.status).toBe(101);
    const socket = new TestSocket(res.webSocket!);
    res.webSocket!.accept();
    expect(await socket.waitClosed(2000)).toMatchObject({ code: 4001, reason: "Token revoked" });
  });

  it("[V4] a room lists (user, jti) in socket_rooms while it holds such a socket, once, and drops it after the last closes", async () => {
    const user = uid("tracked");
    const jti = uid("jti");
    const t = await token({ sub: user, jti });
    const room = await newRoom();
    const rows = async () =>
      (await env.DIRECTORY.prepare("SELECT room FROM socket_rooms WHERE user_id = ? AND jti = ?").bind(user, jti).all<{ room: string }>()).results.map((r) => r.room);
    const until = async (want: string[]) => {
      const deadline = Date.now() + 3000;
      while (JSON.stringify(await rows()) !== JSON.stringify(want)) {
        if (Date.now() > deadline) throw new Error(`socket_rooms is ${JSON.stringify(await rows())}, wanted ${JSON.stringify(want)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const first = await opened(`/ws/rooms/${room}?token=${t}`);
    const second = await opened(`/ws/rooms/${room}?token=${t}`);
    await until([room]);
    first.close();
    await first.waitClosed();
    await stillOpen(second);
    await until([room]);
    second.close();
    await second.waitClosed();
    await until([]);
  });

  it("[V8] a storm of connects to one room: every socket's row lands in socket_rooms, a revoked token in the crowd is closed by the room, and the route finds the others", async () => {
    const room = await newRoom();
    const crowd = Array.from({ length: 40 }, () => ({ user: uid("crowd"), jti: uid("jti") }));
    const revokedJti = uid("jti");
    expect((await revoke({ jti: revokedJti })).status).toBe(200);
    // The revoked one goes straight to the room (as if the worker had checked before the row), amid the crowd.
    const racer: ConnectRequest = { roomId: room, actor: { userId: uid("racer"), name: "racer", role: "member", service: false, scopes: [] }, params: {}, expiresAt: Date.now() + 60_000, jti: revokedJti, iat: Math.floor(Date.now() / 1000) };
    const stub = env.ROOMS.get(env.ROOMS.idFromName(room));
    const [sockets, racerRes] = await Promise.all([
      Promise.all(crowd.map(async (c) => opened(`/ws/rooms/${room}?token=${await token({ sub: c.user, jti: c.jti })}`))),
      stub.fetch(new Request("https://room/connect", { headers: { Upgrade: "websocket", [CONNECT_HEADER]: JSON.stringify(racer) } })),
    ]);
    expect(racerRes.status).toBe(101);
    const racerSocket = new TestSocket(racerRes.webSocket!);
    racerRes.webSocket!.accept();
    expect(await racerSocket.waitClosed(2000)).toMatchObject({ code: 4001, reason: "Token revoked" });
    await flushLedger(`/ws/rooms/${room}`);
    const crowdRows = await env.DIRECTORY.prepare("SELECT COUNT(*) AS n FROM socket_rooms WHERE room = ? AND user_id LIKE 'crowd-%'").bind(room).first<{ n: number }>();
    expect(crowdRows!.n).toBe(crowd.length);
    const res = await revoke({ user_id: crowd[17]!.user });
    expect(res.json).toMatchObject({ rooms: 1, closed: 1 });
    expect(await sockets[17]!.waitClosed(2000)).toMatchObject({ code: 4001 });
    for (const [i, s] of sockets.entries()) if (i !== 17) s.close();
  });

  it("[V8] a token this isolate never read is checked by the room it connects to: refused as the worker would (401 JSON, or 4001 for a browser, the SDK, a seed route and a gateway's socket)", async () => {
    const room = await newRoom();
    const session = await newSession();
    const revokedToken = async () => {
      const jti = uid("jti");
      expect((await revoke({ jti })).status).toBe(200);
      // A token the worker has never seen: its isolate has no answer cached, so the room reads D1.
      return token({ sub: uid("fresh"), jti });
    };
    const plainToken = await revokedToken();
    const plain = await connect(`/ws/rooms/${room}?token=${plainToken}`);
    expect(plain.socket).toBeNull();
    expect(plain.response.status).toBe(401);
    expect(plain.response.headers.get("WWW-Authenticate")).toContain("invalid_token");
    expect(((await plain.response.json()) as { error: { code: string } }).error.code).toBe("TOKEN_REVOKED");
    expect(plain.response.headers.get("x-hearth-revoked-until")).toBeNull(); // the room's note to the worker stays inside
    // The worker learnt it from the room's refusal: the same token again is refused at the edge, no room woken.
    const connects = async () => (await api("POST", "/api/objects/load", await adminToken(), { names: [room] })).json.objects[0].inputs.connect as number;
    const before = await connects();
    const again = await connect(`/ws/rooms/${room}?token=${plainToken}`);
    expect(again.response.status).toBe(401);
    expect(await connects()).toBe(before);
    const browser = await open(`/ws/rooms/${room}?token=${await revokedToken()}`, { headers: { Origin: "https://hearth.test" } });
    expect(await browser.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    expect(browser.frames).toHaveLength(0);
    const sdk = await open(`/ws/rooms/${room}?token=${await revokedToken()}`, { headers: { "Sec-WebSocket-Protocol": "hearth" } });
    expect(await sdk.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    const seed = await open(`/ws/game/${session}?token=${await revokedToken()}`);
    expect(await seed.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    // The games lobby holds its sockets on gateways: the lobby reads the token before its gateway admits the socket.
    const lobby = uid("lobby");
    const games = await open(`/ws/games?lobby=${lobby}&token=${await revokedToken()}`, { headers: { Origin: "https://hearth.test" } });
    expect(await games.waitClosed()).toMatchObject({ code: 4001, reason: "Token revoked" });
    expect(games.frames).toHaveLength(0);
    const gamesPlain = await connect(`/ws/games?lobby=${lobby}&token=${await revokedToken()}`);
    expect(gamesPlain.socket).toBeNull();
    expect(gamesPlain.response.status).toBe(401);
    // A token that is not revoked, equally fresh, is let in.
    const fine = await opened(`/ws/rooms/${room}?token=${await token({ sub: uid("fine"), jti: uid("jti") })}`);
    await stillOpen(fine);
    fine.close();
  });

  it("[V4] a games socket is listed under its lobby only, not under each game it follows; the row goes when the socket closes, and a revocation still closes it mid-game", async () => {
    const shard = await newLobby();
    const rowsOf = async (user: string) => (await env.DIRECTORY.prepare("SELECT room FROM socket_rooms WHERE user_id = ?").bind(user).all<{ room: string }>()).results.map((r) => r.room);
    const [host, guest] = await Promise.all([gamesClient(shard, "host"), gamesClient(shard, "guest")]);
    await createRoom(host!, "Revocable");
    guest!.socket.send({ type: "join_room", room_name: "Revocable" });
    await guest!.socket.nextMatching((f) => f.type === "room_state", 5000);
    // Both follow the game now; each is listed under the lobby alone.
    await flushLedger(`/ws/games?lobby=${shard}`);
    expect(await rowsOf(host!.id)).toEqual([`games:lobby:${shard}`]);
    expect(await rowsOf(guest!.id)).toEqual([`games:lobby:${shard}`]);
    host!.socket.close();
    await host!.socket.waitClosed();
    // The guest's frame reaches the lobby after the host's close (same gateway, in order): then the host's forget is queued.
    guest!.socket.send({ type: "list_rooms" });
    await guest!.socket.nextMatching((f) => f.type === "room_list", 5000);
    await flushLedger(`/ws/games?lobby=${shard}`);
    expect(await rowsOf(host!.id)).toEqual([]);
    const res = await revoke({ user_id: guest!.id });
    expect(res.json).toMatchObject({ rooms: 1, closed: 1 });
    expect(await guest!.socket.waitClosed(2000)).toMatchObject({ code: 4001, reason: "Token revoked" });
  });

  it("[V1] the route needs rooms:admin and exactly one of user_id and jti", async () => {
    expect((await api("POST", "/api/revocations", await token({ sub: "u", scope: "events:publish" }), { user_id: "x" })).status).toBe(403);
    expect((await api("POST", "/api/revocations", null, { user_id: "x" })).status).toBe(401);
    expect((await revoke({})).status).toBe(400);
    expect((await revoke({ user_id: "x", jti: "y" })).status).toBe(400);
    expect((await revoke({ user_id: "" })).status).toBe(400);
    expect((await revoke({ jti: "j", extra: 1 })).status).toBe(400);
  });
});
