import { describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./testing/createHarness.js";

/**
 * Fresh connection whose snapshot (seq 0 of epoch "e1") made it live, then delivered logged
 * frames 1..n; then the network drops.
 */
async function liveThenDropped(h: Harness, n = 5): Promise<void> {
  const socket = await h.openLatest({ snapshot: { epoch: "e1" } });
  for (let seq = 1; seq <= n; seq++) socket.receive({ type: "delta", n: seq, seq, epoch: "e1" });
  socket.serverClose(1006);
  await h.clock.advance(250);
}

const frames = (h: Harness) => h.of("frame").map((frame) => frame.n ?? frame.type);

describe("HearthSocket: resume bookkeeping", () => {
  it("a fresh connect carries no since/epoch; its snapshot sets the cursor", async () => {
    const h = createHarness();
    const socket = await h.openLatest({ snapshot: false });
    expect(socket.query.has("since")).toBe(false);
    expect(socket.query.has("epoch")).toBe(false);
    socket.receive({ type: "snapshot", seq: 10, epoch: "e1", state: { v: 1 } });
    expect(h.of("snapshot")).toEqual([
      { state: { v: 1 }, seq: 10, epoch: "e1", frame: { type: "snapshot", seq: 10, epoch: "e1", state: { v: 1 } } },
    ]);
    expect(h.client.position).toEqual({ seq: 10, epoch: "e1" });
    expect(h.of("frame")).toEqual([]);
  });

  it("reconnects with since=<last seq>&epoch=<epoch>", async () => {
    const h = createHarness();
    await liveThenDropped(h, 5);
    expect(h.latest().query.get("since")).toBe("5");
    expect(h.latest().query.get("epoch")).toBe("e1");
  });

  it("replays the gap exactly once and in order, then goes live on the recovered marker", async () => {
    const h = createHarness();
    await liveThenDropped(h, 5);
    const socket = await h.openLatest();
    expect(h.client.state).toBe("reconnecting"); // open, but the replay is not done
    socket.receive({ type: "delta", n: 4, seq: 4, epoch: "e1" }); // overlap: already seen
    socket.receive({ type: "delta", n: 5, seq: 5, epoch: "e1" });
    socket.receive({ type: "delta", n: 6, seq: 6, epoch: "e1" });
    socket.receive({ type: "delta", n: 8, seq: 8, epoch: "e1" }); // gap 7: addressed to someone else
    socket.receive({ type: "recovered", recovered: true, seq: 9, epoch: "e1" });
    socket.receive({ type: "delta", n: 10, seq: 10, epoch: "e1" });
    socket.receive({ type: "delta", n: 10, seq: 10, epoch: "e1" });
    expect(frames(h)).toEqual([1, 2, 3, 4, 5, 6, 8, 10]);
    expect(h.of("resumed")).toEqual([{ replayed: 2 }]);
    expect(h.of("state")).toEqual(["live", "reconnecting", "live"]);
    const order = h.events.map(([name]) => name).filter((name) => name !== "frame" && name !== "close");
    expect(order.slice(-2)).toEqual(["resumed", "state"]); // app has the data before "live"
    expect(h.client.position).toEqual({ seq: 10, epoch: "e1" });
  });

  it("a recovered:false snapshot resets the cursor, even backwards, and is surfaced as a snapshot", async () => {
    const h = createHarness();
    await liveThenDropped(h, 5);
    const socket = await h.openLatest();
    socket.receive({ type: "snapshot", seq: 3, epoch: "e2", recovered: false, state: { fresh: true } });
    expect(h.of("snapshot")).toEqual([
      { state: null, seq: 0, epoch: "e1", frame: { type: "snapshot", seq: 0, epoch: "e1", state: null } }, // first connection's
      expect.objectContaining({ state: { fresh: true }, seq: 3, epoch: "e2", recovered: false }),
    ]);
    expect(h.client.state).toBe("live");
    socket.receive({ type: "delta", n: 4, seq: 4, epoch: "e2" }); // would be a "duplicate" under the old cursor
    expect(frames(h)).toEqual([1, 2, 3, 4, 5, 4]);
    socket.serverClose(1006);
    await h.clock.advance(500); // second quick failure in a row: backoff doubled
    expect(h.sockets).toHaveLength(3);
    expect(h.latest().query.get("since")).toBe("4");
    expect(h.latest().query.get("epoch")).toBe("e2");
  });

  it("a frame of another stream (another epoch: a game the socket follows, [S6]) is delivered once; the room's own cursor stays", async () => {
    const h = createHarness();
    const first = await h.openLatest({ snapshot: { epoch: "e1", state: "initial" } });
    first.receive({ type: "delta", n: 1, seq: 1, epoch: "e1" });
    first.receive({ type: "delta", n: 99, seq: 1, epoch: "e2" });
    first.receive({ type: "delta", n: 99, seq: 1, epoch: "e2" });
    first.receive({ type: "delta", n: 2, seq: 2, epoch: "e1" });
    expect(frames(h)).toEqual([1, 99, 2]);
    expect(h.client.state).toBe("live");
    expect(h.client.position).toEqual({ seq: 2, epoch: "e1" });
    // A reset of the room itself comes as a snapshot, which moves the cursor.
    first.receive({ type: "snapshot", seq: 0, epoch: "e3", recovered: false, state: "reset" });
    expect(h.of("snapshot").map((snapshot) => snapshot.state)).toEqual(["initial", "reset"]);
    expect(h.client.position).toEqual({ seq: 0, epoch: "e3" });
  });

  it("ephemeral frames pass through (also during a replay) and never move the cursor", async () => {
    const h = createHarness();
    await liveThenDropped(h, 2);
    const socket = await h.openLatest();
    socket.receive({ type: "presence", who: "ann" });
    socket.receive({ type: "recovered", recovered: true, seq: 2, epoch: "e1" });
    socket.receive({ type: "typing" });
    expect(frames(h)).toEqual([1, 2, "presence", "typing"]);
    expect(h.client.position).toEqual({ seq: 2, epoch: "e1" });
  });

  it("an ack carrying a seq does not swallow the broadcast of that seq", async () => {
    const h = createHarness();
    const socket = await h.openLatest({ snapshot: { epoch: "e1" } });
    socket.receive({ type: "delta", n: 1, seq: 1, epoch: "e1" });
    socket.receive({ type: "ack", id: "c1", seq: 2 });
    socket.receive({ type: "delta", n: 2, seq: 2, epoch: "e1" });
    expect(frames(h)).toEqual([1, 2]);
    expect(h.of("ack")).toEqual([{ id: "c1", seq: 2, frame: { type: "ack", id: "c1", seq: 2 } }]);
  });

  it("goes live after resumeTimeoutMs if the server never ends the replay", async () => {
    const h = createHarness({ resumeTimeoutMs: 3_000 });
    await liveThenDropped(h, 1);
    h.client.send({ type: "queued" });
    const socket = await h.openLatest();
    await h.clock.advance(2_999);
    expect(socket.sentFrames).toEqual([]);
    await h.clock.advance(1);
    expect(h.of("error").map((error) => error.code)).toEqual(["RESUME_TIMEOUT"]);
    expect(h.client.state).toBe("live");
    expect(socket.sentFrames).toEqual([{ type: "queued" }]);
  });

  it("resumeFrom makes the very first connect a resume", async () => {
    const h = createHarness({ resumeFrom: { seq: 41, epoch: "saved" } });
    const socket = await h.openLatest();
    expect(socket.query.get("since")).toBe("41");
    expect(socket.query.get("epoch")).toBe("saved");
    expect(h.client.state).toBe("connecting");
    socket.receive({ type: "recovered", recovered: true, seq: 41, epoch: "saved" });
    expect(h.client.state).toBe("live");
  });

  it("works the same for the {event, data} family", async () => {
    const h = createHarness();
    const first = await h.openLatest({ snapshot: false });
    first.receive({ event: "snapshot", data: { state: { players: ["a"] } }, seq: 7, epoch: "g" });
    first.receive({ event: "chat_message", data: { message: "hi" }, seq: 8, epoch: "g" });
    first.serverClose(1006);
    await h.clock.advance(250);
    const second = await h.openLatest();
    expect(second.query.get("since")).toBe("8");
    second.receive({ event: "chat_message", data: { message: "hi" }, seq: 8, epoch: "g" });
    second.receive({ event: "dice_roll", data: { result: 12 }, seq: 9, epoch: "g" });
    second.receive({ event: "recovered", data: {}, recovered: true, seq: 9, epoch: "g" });
    expect(h.of("snapshot").map((snapshot) => snapshot.state)).toEqual([{ players: ["a"] }]);
    expect(h.of("frame").map((frame) => frame.event)).toEqual(["chat_message", "dice_roll"]);
    expect(h.of("resumed")).toEqual([{ replayed: 1 }]);
    expect(h.client.state).toBe("live");
  });

  it("swallows pong, reports non-JSON and binary frames as BAD_FRAME", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    socket.receive("pong");
    socket.receive("not json");
    socket.receive("[1,2]");
    socket.receiveRaw(new ArrayBuffer(2));
    expect(h.of("frame")).toEqual([]);
    expect(h.of("error").map((error) => error.code)).toEqual(["BAD_FRAME", "BAD_FRAME", "BAD_FRAME"]);
  });
});
