import { describe, expect, it } from "vitest";
import { eventually } from "./helpers/objects.ts";
import { joinAs, newRoom } from "./helpers/rooms.ts";
import { api } from "./helpers/socket.ts";
import { adminToken } from "./helpers/tokens.ts";

describe("presence", () => {
  it("one user with two tabs joins once and leaves once", async () => {
    const roomId = await newRoom();
    const peer = await joinAs(roomId, "peer");
    await peer.socket.drain();
    const tab1 = await joinAs(roomId, "ann");
    const tab2 = await joinAs(roomId, "ann");
    const joins = (await peer.socket.drain()).filter((f) => f.type === "presence.join");
    expect(joins).toHaveLength(1);
    expect(tab2.snapshot.state).toMatchObject({ online: expect.arrayContaining([{ id: "ann", name: "ann" }]) });
    tab1.socket.close();
    // Wait for the room to have handled the close (it counts 2 sockets), then for what it sent peer.
    await eventually(async () => {
      const room = await api("GET", `/api/admin/rooms/${roomId}`, await adminToken());
      if (room.json.metrics.connections.current !== 2) throw new Error(`${room.json.metrics.connections.current} sockets`);
    });
    expect((await peer.socket.drain()).filter((f) => f.type === "presence.leave")).toEqual([]);
    // The remaining tab still receives broadcasts.
    peer.socket.send({ type: "publish", data: "still here?" });
    expect(await tab2.socket.nextMatching((f) => f.type === "publish")).toMatchObject({ data: "still here?" });
    tab2.socket.close();
    const leave = await peer.socket.nextMatching((f) => f.type === "presence.leave");
    expect(leave).toMatchObject({ user: { id: "ann" } });
    expect((await peer.socket.drain()).filter((f) => f.type === "presence.leave")).toEqual([]);
  });

  it("whispers reach only the target's sockets and the sender's, and stay out of others' replay", async () => {
    const roomId = await newRoom();
    const ann = await joinAs(roomId, "ann");
    const bob = await joinAs(roomId, "bob");
    const eve = await joinAs(roomId, "eve");
    for (const s of [ann, bob, eve]) await s.socket.drain();
    ann.socket.send({ type: "whisper", to: "bob", data: "secret" });
    expect(await bob.socket.next()).toMatchObject({ type: "whisper", data: "secret", from: "ann" });
    expect(await ann.socket.next()).toMatchObject({ type: "whisper", data: "secret" });
    expect(await eve.socket.drain()).toEqual([]);
    const epoch = ann.snapshot.epoch;
    const eve2 = await joinAs(roomId, "eve", `&since=0&epoch=${epoch}`);
    const replay = [eve2.snapshot, ...(await eve2.socket.drain())];
    expect(JSON.stringify(replay)).not.toContain("secret");
    const bob2 = await joinAs(roomId, "bob", `&since=0&epoch=${epoch}`);
    expect(JSON.stringify([bob2.snapshot, ...(await bob2.socket.drain())])).toContain("secret");
  });
});
