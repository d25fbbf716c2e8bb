import { describe, expect, it } from "vitest";
import { joinAs, newRoom } from "./helpers/rooms.ts";
import { api, connect, open } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

describe("limits", () => {
  it("oversized frames get FRAME_TOO_LARGE, then close 4008 when it persists; peers are unaffected", async () => {
    const roomId = await newRoom({ limits: { maxFrameBytes: 1024, strikesBeforeClose: 3 } });
    const peer = await joinAs(roomId, "peer");
    const bad = await joinAs(roomId, "bad");
    await peer.socket.drain();
    await bad.socket.drain();
    const big = JSON.stringify({ type: "publish", data: "x".repeat(2000) });
    bad.socket.send(big);
    expect(await bad.socket.next()).toMatchObject({ type: "error", code: "FRAME_TOO_LARGE" });
    bad.socket.send(big);
    expect(await bad.socket.next()).toMatchObject({ type: "error", code: "FRAME_TOO_LARGE" });
    bad.socket.send(big);
    expect(await bad.socket.waitClosed()).toMatchObject({ code: 4008 });
    expect((await peer.socket.nextMatching((f) => f.type === "presence.leave")).user).toMatchObject({ id: "bad" });
    peer.socket.send({ type: "publish", data: "fine" });
    expect(await peer.socket.next()).toMatchObject({ type: "publish", data: "fine" });
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.state.published).toBe(1);
  });

  it("multi-byte text is measured in UTF-8 bytes", async () => {
    const roomId = await newRoom({ limits: { maxFrameBytes: 1024 } });
    const s = await joinAs(roomId, "u");
    await s.socket.drain();
    s.socket.send(JSON.stringify({ type: "publish", data: "€".repeat(400) })); // 400 chars, 1200 bytes
    expect(await s.socket.next()).toMatchObject({ type: "error", code: "FRAME_TOO_LARGE" });
  });

  it("a flood gets RATE_LIMITED, then close 4008", async () => {
    const roomId = await newRoom({ limits: { rateBurst: 3, ratePerSec: 0.1, strikesBeforeClose: 2 } });
    const s = await joinAs(roomId, "flood");
    await s.socket.drain();
    for (let i = 0; i < 6; i++) s.socket.send({ type: "publish", data: i });
    const frames: Record<string, unknown>[] = [];
    const closed = await s.socket.waitClosed();
    frames.push(...s.socket.frames.slice(1));
    expect(closed.code).toBe(4008);
    expect(frames.filter((f) => f.type === "publish").map((f) => f.data)).toEqual([0, 1, 2]);
    expect(frames.filter((f) => f.type === "error").map((f) => f.code)).toEqual(["RATE_LIMITED"]);
  });

  it("max connections per room: close 4009", async () => {
    const roomId = await newRoom({ limits: { maxConnections: 2 } });
    await joinAs(roomId, "a");
    await joinAs(roomId, "b");
    const third = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "c" })}`);
    expect(await third.waitClosed()).toEqual({ code: 4009, reason: "Room full" });
  });

  it("max sockets per user: close 4009; others still get in", async () => {
    const roomId = await newRoom({ limits: { maxSocketsPerUser: 2 } });
    await joinAs(roomId, "a");
    await joinAs(roomId, "a");
    const third = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "a" })}`);
    expect(await third.waitClosed()).toMatchObject({ code: 4009 });
    const other = await joinAs(roomId, "b");
    expect(other.snapshot.type).toBe("snapshot");
  });

  it("HTTP bodies over 64 KiB are 413 and apply nothing", async () => {
    const roomId = await newRoom();
    const res = await api("POST", `/api/rooms/${roomId}/events`, await adminToken(), { type: "publish", data: "x".repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("BODY_TOO_LARGE");
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.state.published).toBe(0);
  });

  it("limit overrides are validated when the room is created", async () => {
    const res = await api("POST", "/api/rooms", await adminToken(), { config: { limits: { maxConnections: -1 } } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("BAD_CONFIG");
    const unknown = await api("POST", "/api/rooms", await adminToken(), { config: { limits: { bogus: 1 } } });
    expect(unknown.status).toBe(400);
  });

  it("bad frames get clear errors and change nothing; other sockets keep working", async () => {
    const roomId = await newRoom();
    const a = await joinAs(roomId, "a");
    const b = await joinAs(roomId, "b");
    await a.socket.drain();
    await b.socket.drain();
    a.socket.send("{not json");
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "BAD_JSON" });
    a.socket.send("[1,2]");
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "BAD_FRAME" });
    a.socket.send({ type: "launch_missiles" });
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "BAD_COMMAND", details: expect.any(Array) });
    a.socket.send({ type: "publish", data: 1, id: { nested: true } });
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "BAD_FRAME" });
    a.socket.ws.send(new Uint8Array([1, 2, 3]));
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "BAD_FRAME" });
    a.socket.send({ type: "whisper", to: "nobody", data: 1, id: "w1" });
    expect(await a.socket.next()).toMatchObject({ type: "error", code: "NOT_PRESENT", id: "w1" });
    expect(await b.socket.drain()).toEqual([]);
    b.socket.send({ type: "publish", data: "ok" });
    expect(await a.socket.next()).toMatchObject({ type: "publish", data: "ok", seq: 1 });
  });
});

describe("hostile connect parameters", () => {
  it("hundreds of long query params neither crash the room nor overflow the socket attachment", async () => {
    const roomId = await newRoom();
    const junk = Array.from({ length: 300 }, (_, i) => `p${i}=${"v".repeat(300)}`).join("&");
    const s = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "h" })}&${junk}`);
    expect(await s.next()).toMatchObject({ type: "snapshot" });
    s.send({ type: "publish", data: 1 });
    expect(await s.next()).toMatchObject({ type: "publish", data: 1 });
  });
});

describe("HTTP event rate limit", () => {
  it("a user flooding over HTTP gets 429 RATE_LIMITED with Retry-After; services are not limited", async () => {
    const roomId = await newRoom({ limits: { rateBurst: 3, ratePerSec: 0.1 } });
    const user = await token({ sub: "flooder" });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api("POST", `/api/rooms/${roomId}/events`, user, { type: "publish", data: i });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.json.error.code).toBe("RATE_LIMITED");
        expect(r.headers.get("Retry-After")).toBe("1");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const svc = await token({ sub: "backend", scope: "events:publish" });
    for (let i = 0; i < 6; i++) expect((await api("POST", `/api/rooms/${roomId}/events`, svc, { type: "publish", data: i })).status).toBe(200);
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.state.published).toBe(9);
  });
});
