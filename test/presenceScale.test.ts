import { describe, expect, it } from "vitest";
import { joinAs, newRoom } from "./helpers/rooms.ts";
import { api, type Frame, type TestSocket } from "./helpers/socket.ts";
import { adminToken } from "./helpers/tokens.ts";

const seqOf = async (roomId: string) => (await api("GET", `/api/rooms/${roomId}`, await adminToken())).json.seq as number;

/** Counts only, no timing: what a join storm writes to the log and sends, default config. */
describe("[R-PRES1] presence that scales (relay rooms)", () => {
  it("a 250-socket join storm adds no log entries and costs O(members) frames, not O(members^2)", async () => {
    const N = 250;
    const roomId = await newRoom();
    const seq0 = await seqOf(roomId);
    const sockets: TestSocket[] = [];
    for (let i = 0; i < N; i++) sockets.push((await joinAs(roomId, `u${i}`)).socket);
    const frames: Frame[] = [];
    // Every join's frames were sent before its upgrade answered; each socket's probe waits for them.
    const perSocket: Frame[][] = [];
    for (const s of sockets) {
      perSocket.push(await s.drain());
      frames.push(...perSocket.at(-1)!);
    }
    const total = frames.length + N; // + the N snapshots joinAs read
    const joins = frames.filter((f) => f.type === "presence.join").length;
    const counts = frames.filter((f) => f.type === "presence.count").length;
    console.log(`presence storm N=${N}: log entries +${(await seqOf(roomId)) - seq0}, frames ${total} (join ${joins}, count ${counts}); logged presence would be ${N} entries, ${(N * (N - 1)) / 2 + N} frames`);
    // Nothing logged: presence is ephemeral.
    expect((await seqOf(roomId)) - seq0).toBe(0);
    expect(frames.filter((f) => typeof f.seq === "number")).toEqual([]);
    // Below the threshold (100) joins are per member: 100*99/2 of them; above it, a few count frames.
    expect(joins).toBe((100 * 99) / 2);
    expect(counts).toBeGreaterThan(0);
    expect(total).toBeLessThan((N * N) / 4);
    // [R-PRES2] At most one count a second: the storm's last steps were held, and the wake says where it ended.
    // The first socket heard every count broadcast: a few, where every step (4 a step above 100, 8 above 128) would be ~40.
    expect(perSocket[0]!.filter((f) => f.type === "presence.count").length).toBeLessThan(10);
    const final = await sockets[0]!.nextMatching((f) => f.type === "presence.count" && f.count === N, 5_000);
    expect(final.seq).toBeUndefined();
    // A resume gets no presence replayed, and the history holds none.
    const history = await api("GET", `/api/rooms/${roomId}/history`, await adminToken());
    expect(JSON.stringify(history.json)).not.toContain("presence.");
    for (const s of sockets) s.close();
    // Let the leaves land before the test ends (and leaves, too, log nothing).
    for (let i = 0; i < 100; i++) {
      const snap = await api("GET", `/api/rooms/${roomId}`, await adminToken());
      if (snap.json.state.onlineCount === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await seqOf(roomId)) - seq0).toBe(0);
  });

  it("below the threshold joins and leaves still reach peers as presence.join / presence.leave (unlogged)", async () => {
    // presenceCountMs 0: every step is said at once ([R-PRES2] is the next test).
    const roomId = await newRoom({ presenceDetailMax: 5, presenceCountMs: 0 });
    const peer = await joinAs(roomId, "peer");
    const ann = await joinAs(roomId, "ann");
    expect(await peer.socket.next()).toMatchObject({ type: "presence.join", user: { id: "ann", name: "ann" } });
    ann.socket.close();
    const leave = await peer.socket.nextMatching((f) => f.type === "presence.leave");
    expect(leave).toMatchObject({ user: { id: "ann" } });
    expect(leave.seq).toBeUndefined();
    // Above presenceDetailMax: counts only.
    const more = [];
    for (let i = 0; i < 6; i++) more.push(await joinAs(roomId, `m${i}`));
    const seen = await peer.socket.drain();
    expect(seen.filter((f) => f.type === "presence.join").map((f) => (f.user as { id: string }).id)).toEqual(["m0", "m1", "m2", "m3"]);
    expect(seen.filter((f) => f.type === "presence.count").map((f) => f.count)).toEqual([6, 7]);
    expect(await seqOf(roomId)).toBe(0);
    for (const s of [peer, ...more]) s.socket.close();
  });

  it("[R-PRES2] counts go at most once per presenceCountMs: steps in between are held, and the wake says the count once it is due", async () => {
    const roomId = await newRoom({ presenceDetailMax: 5, presenceCountMs: 400 });
    const peer = await joinAs(roomId, "peer");
    const crowd = [];
    for (let i = 0; i < 5; i++) crowd.push(await joinAs(roomId, `c${i}`));
    // 6 online: the crossing is said at once.
    expect(await peer.socket.nextMatching((f) => f.type === "presence.count")).toMatchObject({ count: 6 });
    const saidAt = Date.now();
    for (let i = 5; i < 9; i++) crowd.push(await joinAs(roomId, `c${i}`));
    // 7..10 are steps (step 1 this small); within 400 ms of the last count they wait, and then one frame says 10.
    const next = await peer.socket.nextMatching((f) => f.type === "presence.count", 5_000);
    expect(next).toMatchObject({ count: 10 });
    expect(Date.now() - saidAt).toBeGreaterThanOrEqual(350);
    expect(await peer.socket.drain()).toEqual([]);
    for (const s of [peer, ...crowd]) s.socket.close();
  });
});
