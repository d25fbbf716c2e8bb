import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish } from "./helpers/rooms.ts";
import { api } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

describe("idempotency", () => {
  it("HTTP: same key and body returns the first response and applies once", async () => {
    const roomId = await newRoom();
    const w = await joinAs(roomId, "w");
    await w.socket.drain();
    const first = await publish(roomId, { n: 1 }, "svc", { "Idempotency-Key": "k-1" });
    const again = await publish(roomId, { n: 1 }, "svc", { "Idempotency-Key": "k-1" });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ...first.json, replayed: true });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    const frames = await w.socket.drain();
    expect(frames.filter((f) => f.type === "publish")).toHaveLength(1);
    const snap = await api("GET", `/api/rooms/${roomId}`, await adminToken());
    expect(snap.json.state.published).toBe(1);
  });

  it("HTTP: same key with a different body is 422 and applies nothing", async () => {
    const roomId = await newRoom();
    await publish(roomId, 1, "svc", { "Idempotency-Key": "k" });
    const clash = await publish(roomId, 2, "svc", { "Idempotency-Key": "k" });
    expect(clash.status).toBe(422);
    expect(clash.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const snap = await api("GET", `/api/rooms/${roomId}`, await adminToken());
    expect(snap.json.state.published).toBe(1);
  });

  it("HTTP: keys are scoped to the caller and to the room", async () => {
    const a = await newRoom();
    const b = await newRoom();
    await publish(a, 1, "svc-1", { "Idempotency-Key": "shared" });
    const other = await publish(a, 1, "svc-2", { "Idempotency-Key": "shared" });
    expect(other.json.replayed).toBeUndefined();
    const elsewhere = await publish(b, 1, "svc-1", { "Idempotency-Key": "shared" });
    expect(elsewhere.json.replayed).toBeUndefined();
    expect((await api("GET", `/api/rooms/${a}`, await adminToken())).json.state.published).toBe(2);
  });

  it("HTTP: rejections are not remembered, so a fixed retry can succeed", async () => {
    const roomId = await newRoom();
    const viewerToken = await token({ sub: "v", role: "viewer" });
    const refused = await api("POST", `/api/rooms/${roomId}/events`, viewerToken, { type: "publish", data: 1 }, { "Idempotency-Key": "x" });
    expect(refused.status).toBe(403);
    const ok = await publish(roomId, 1, "v", { "Idempotency-Key": "x" });
    expect(ok.status).toBe(200);
  });

  it("socket: a repeated command id is acknowledged, not re-applied", async () => {
    const roomId = await newRoom();
    const ann = await joinAs(roomId, "ann");
    await ann.socket.drain();
    ann.socket.send({ type: "publish", data: "once", id: "c-1" });
    const published = await ann.socket.next();
    expect(published).toMatchObject({ type: "publish", data: "once" });
    expect(await ann.socket.next()).toEqual({ type: "ack", id: "c-1", seq: published.seq });
    ann.socket.send({ type: "publish", data: "once", id: "c-1" });
    expect(await ann.socket.next()).toEqual({ type: "ack", id: "c-1", seq: published.seq, duplicate: true });
    // Also after a reconnect (ids live in storage, not in the socket).
    ann.socket.close();
    const again = await joinAs(roomId, "ann");
    await again.socket.drain();
    again.socket.send({ type: "publish", data: "once", id: "c-1" });
    expect(await again.socket.next()).toMatchObject({ type: "ack", duplicate: true });
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.state.published).toBe(1);
  });
});
