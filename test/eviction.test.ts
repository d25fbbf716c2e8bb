import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish, stubFor } from "./helpers/rooms.ts";
import { api, open } from "./helpers/socket.ts";
import { adminToken, token } from "./helpers/tokens.ts";

// In-memory state is a cache: a fresh instance over the same storage and sockets behaves the same.
describe("eviction with sockets open", () => {
  it("keeps presence, roles, broadcast and seq unchanged", async () => {
    const roomId = await newRoom();
    const ann = await joinAs(roomId, "ann");
    const viewer = await open(`/ws/rooms/${roomId}?token=${await token({ sub: "vic", role: "viewer" })}`);
    await viewer.next();
    await ann.socket.drain();
    await viewer.drain();
    await publish(roomId, "before");
    const before = await ann.socket.next();
    await viewer.next();

    await evictDurableObject(stubFor(roomId));

    // Broadcast and seq continue from the same place.
    ann.socket.send({ type: "publish", data: "after" });
    const after = await ann.socket.next();
    expect(after).toMatchObject({ data: "after", seq: (before.seq as number) + 1, epoch: before.epoch });
    expect(await viewer.next()).toMatchObject({ data: "after", seq: after.seq });
    // Roles survive (from the socket attachment): the viewer still may not publish.
    viewer.send({ type: "publish", data: "nope" });
    expect(await viewer.next()).toMatchObject({ type: "error", code: "FORBIDDEN" });
    // Presence survives: a second tab of ann is not a new join, and the snapshot still lists both.
    const tab2 = await joinAs(roomId, "ann");
    expect(tab2.snapshot).toMatchObject({ type: "snapshot", state: { online: expect.arrayContaining([{ id: "ann", name: "ann" }, { id: "vic", name: "vic" }]) } });
    expect(await tab2.socket.drain()).toEqual([]);
    // Leaving after eviction is still detected once, when the last tab closes.
    ann.socket.close();
    tab2.socket.close();
    expect(await viewer.nextMatching((f) => f.type === "presence.leave")).toMatchObject({ user: { id: "ann" } });
    expect((await viewer.drain()).filter((f) => f.type === "presence.leave")).toEqual([]);
    // Presence is ephemeral ([R-PRES1]): the leave took no seq.
    expect((await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.seq).toBe(after.seq);
    const snap = await api("GET", `/api/rooms/${roomId}`, await adminToken());
    expect(snap.json.state.online).toEqual([{ id: "vic", name: "vic" }]);
  });
});
