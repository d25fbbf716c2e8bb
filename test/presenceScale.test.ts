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
    for (const s of sockets) frames.push(...(await s.drain()));
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
    const last = frames.filter((f) => f.type === "presence.count").at(-1);
    expect(last).toMatchObject({ type: "presence.count" });
    expect(last!.count as number).toBeGreaterThan(N - 16);
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
    const roomId = await newRoom({ presenceDetailMax: 5 });
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
});
