import { describe, expect, it } from "vitest";
import { adminToken, token } from "./helpers/tokens.ts";
import { api, open } from "./helpers/socket.ts";

async function newRoom(roomId = `r${crypto.randomUUID().slice(0, 8)}`) {
  const res = await api("POST", "/api/rooms", await adminToken(), { roomId });
  expect(res.status).toBe(201);
  return roomId;
}

describe("generic rooms end to end", () => {
  it("creates a room, connects two users, broadcasts with seq and epoch", async () => {
    const roomId = await newRoom();
    const ann = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "ann" })}`);
    const snap = await ann.next();
    // The socket's own join is already in its snapshot; presence takes no seq ([R-PRES1]).
    expect(snap).toMatchObject({ type: "snapshot", seq: 0, state: { published: 0, online: [{ id: "ann", name: "ann" }] } });
    expect(typeof snap.epoch).toBe("string");
    const bob = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "bob" })}`);
    expect(await bob.next()).toMatchObject({ type: "snapshot", seq: 0 });
    expect(await ann.next()).toMatchObject({ type: "presence.join", user: { id: "bob" } });
    ann.send({ type: "publish", data: { hello: "world" } });
    for (const s of [ann, bob]) expect(await s.next()).toMatchObject({ type: "publish", data: { hello: "world" }, from: "ann", seq: 1, epoch: snap.epoch });
    const pub = await api("POST", `/api/rooms/${roomId}/events`, await token({ sub: "svc", scope: "events:publish" }), { type: "publish", data: 42 });
    expect(pub.status).toBe(200);
    expect(pub.json).toMatchObject({ seq: 2, result: { published: 2 } });
    for (const s of [ann, bob]) expect(await s.next()).toMatchObject({ type: "publish", data: 42, from: "svc", seq: 2 });
  });

  it("answers snapshots, history pages and resets without internal fields", async () => {
    const roomId = await newRoom();
    const admin = await adminToken();
    for (const path of [`/api/rooms/${roomId}`, `/api/rooms/${roomId}/history`]) {
      const res = await api("GET", path, admin);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).not.toContain("ok");
    }
    const reset = await api("POST", `/api/rooms/${roomId}/reset`, admin);
    expect(reset.json).toEqual({ epoch: expect.any(String) });
  });
});
