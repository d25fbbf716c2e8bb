import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { joinAs, newRoom, publish, stubFor } from "./helpers/rooms.ts";
import { api } from "./helpers/socket.ts";
import { adminToken } from "./helpers/tokens.ts";

/** A room with `n` published events after the watcher's join; returns the cursor after event `upTo`. */
async function roomWithEvents(n: number, config: Record<string, unknown> = {}) {
  const roomId = await newRoom(config);
  const watcher = await joinAs(roomId, "watcher");
  const epoch = watcher.snapshot.epoch as string;
  for (let i = 1; i <= n; i++) expect((await publish(roomId, i)).status).toBe(200);
  return { roomId, epoch, watcher };
}

const dataOf = (frames: Record<string, unknown>[]) => frames.filter((f) => f.type === "publish").map((f) => f.data);

// Centrifugo's recovery table, over real sockets. Presence takes no seq ([R-PRES1]): event i is seq i.
describe("resume with since/epoch", () => {
  it("from position: exactly the missed frames, in order, then recovered:true, then live", async () => {
    const { roomId, epoch } = await roomWithEvents(5);
    const { socket, snapshot } = await joinAs(roomId, "late", `&since=3&epoch=${epoch}`);
    // The first frame is the replay of seq 4, not a snapshot.
    expect(snapshot).toMatchObject({ type: "publish", data: 4, seq: 4 });
    expect(await socket.next()).toMatchObject({ data: 5, seq: 5 });
    // Its own join is ephemeral: not logged, so not replayed (published events only).
    expect(await socket.next()).toEqual({ type: "recovered", recovered: true, seq: 5, epoch });
    await publish(roomId, "live");
    expect(await socket.next()).toMatchObject({ data: "live", seq: 6 });
  });

  it("same position: nothing replayed, recovered:true", async () => {
    const { roomId, epoch } = await roomWithEvents(2);
    // A returning user (already present in another tab) adds no join: nothing to replay.
    const { snapshot } = await joinAs(roomId, "watcher", `&since=2&epoch=${epoch}`);
    expect(snapshot).toEqual({ type: "recovered", recovered: true, seq: 2, epoch });
  });

  it("too far back (trimmed by count): one snapshot with recovered:false", async () => {
    const { roomId, epoch } = await roomWithEvents(8, { limits: { logMaxEntries: 3 } });
    expect(await runDurableObjectAlarm(stubFor(roomId))).toBe(true);
    const { socket, snapshot } = await joinAs(roomId, "late", `&since=2&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ type: "snapshot", recovered: false, seq: 8, epoch, state: { published: 8 } });
    expect(await socket.drain()).toEqual([]);
    // The oldest bridgeable cursor still replays: 6..8 survived the trim, and a
    // gap of 3 (= logMaxEntries) is within the promise.
    const ok = await joinAs(roomId, "watcher", `&since=5&epoch=${epoch}`);
    expect(ok.snapshot).toMatchObject({ type: "publish", seq: 6 });
  });

  it("expired (trimmed by age): snapshot with recovered:false", async () => {
    const { roomId, epoch } = await roomWithEvents(3, { limits: { logMaxAgeMs: 1 } });
    await new Promise((r) => setTimeout(r, 5));
    await runDurableObjectAlarm(stubFor(roomId));
    const { snapshot } = await joinAs(roomId, "late", `&since=2&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ type: "snapshot", recovered: false, seq: 3 });
  });

  it("epoch changed (history reset): snapshot with recovered:false, live sockets told too", async () => {
    const { roomId, epoch, watcher } = await roomWithEvents(3);
    await watcher.socket.drain();
    const reset = await api("POST", `/api/rooms/${roomId}/reset`, await adminToken());
    expect(reset.status).toBe(200);
    expect(reset.json.epoch).not.toBe(epoch);
    expect(await watcher.socket.next()).toMatchObject({ type: "snapshot", recovered: false, seq: 0, epoch: reset.json.epoch });
    const { snapshot } = await joinAs(roomId, "late", `&since=2&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ type: "snapshot", recovered: false, epoch: reset.json.epoch });
  });

  it("position not yet existing (from the future): snapshot with recovered:false", async () => {
    const { roomId, epoch } = await roomWithEvents(1);
    const { snapshot } = await joinAs(roomId, "late", `&since=99&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ type: "snapshot", recovered: false, seq: 1 });
  });

  it("a dropped client reconnecting sees every event exactly once", async () => {
    const { roomId, epoch, watcher } = await roomWithEvents(0);
    const seen: unknown[] = [];
    let cursor = watcher.snapshot.seq as number;
    for (const f of await watcher.socket.drain()) if (typeof f.seq === "number") cursor = f.seq;
    await publish(roomId, "a");
    const a = await watcher.socket.next();
    seen.push(a.data);
    cursor = a.seq as number;
    watcher.socket.close();
    for (const d of ["b", "c", "d"]) await publish(roomId, d);
    const again = await joinAs(roomId, "watcher", `&since=${cursor}&epoch=${epoch}`);
    const frames = [again.snapshot, ...(await again.socket.drain())];
    seen.push(...dataOf(frames));
    expect(seen).toEqual(["a", "b", "c", "d"]);
    const seqs = frames.filter((f) => typeof f.seq === "number" && f.type !== "recovered").map((f) => f.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("HTTP snapshot reports the seq it reflects, so a client can stream from it without a race", async () => {
    const { roomId, epoch } = await roomWithEvents(2);
    const snap = await api("GET", `/api/rooms/${roomId}`, await adminToken());
    expect(snap.json).toMatchObject({ seq: 2, epoch, state: { published: 2 } });
    await publish(roomId, "after");
    const { snapshot } = await joinAs(roomId, "late", `&since=${snap.json.seq}&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ data: "after", seq: 3 });
  });
});

describe("resume past the retention promise", () => {
  it("more missed than logMaxEntries (log not yet trimmed): snapshot with recovered:false, never a short replay", async () => {
    const { roomId, epoch } = await roomWithEvents(0, { limits: { logMaxEntries: 5 } });
    for (let i = 1; i <= 8; i++) await publish(roomId, i);
    // No sweep ran: all 8 rows are still in the log, but 7 missed > 5 promised.
    const { socket, snapshot } = await joinAs(roomId, "late", `&since=1&epoch=${epoch}`);
    expect(snapshot).toMatchObject({ type: "snapshot", recovered: false, state: { published: 8 } });
    expect(await socket.drain()).toEqual([]);
    // Within the promise, every missed frame is replayed before `recovered`.
    // (late's join is not logged: the head is 8; since=3 misses exactly 5, and no presence is replayed.)
    const ok = await joinAs(roomId, "watcher", `&since=3&epoch=${epoch}`);
    const frames = [ok.snapshot, ...(await ok.socket.drain())];
    expect(frames.map((f) => f.data ?? f.type)).toEqual([4, 5, 6, 7, 8, "recovered"]);
  });
});
