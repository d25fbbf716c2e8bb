import { describe, expect, it } from "vitest";
import type { HearthClientError } from "./hearthClientError.js";
import { createHarness } from "./testing/createHarness.js";

function sequentialIds() {
  let n = 0;
  return () => `id${++n}`;
}

describe("HearthSocket: send queue", () => {
  it("sends at once when live", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    h.client.send({ type: "chat", text: "hi" });
    expect(socket.sentFrames).toEqual([{ type: "chat", text: "hi" }]);
    expect(h.client.pending).toBe(0);
  });

  it("queues while connecting and flushes in order once open and caught up", async () => {
    const h = createHarness();
    h.client.send({ type: "a" });
    h.client.send({ type: "b" });
    expect(h.client.pending).toBe(2);
    const socket = await h.openLatest();
    expect(socket.sentFrames).toEqual([{ type: "a" }, { type: "b" }]);
    expect(h.client.pending).toBe(0);
  });

  it("holds the queue during a resume replay until the recovered marker", async () => {
    const h = createHarness();
    const first = await h.openLatest({ snapshot: { epoch: "e" } });
    first.receive({ type: "d", seq: 1, epoch: "e" });
    first.serverClose(1006);
    h.client.send({ type: "a" });
    await h.clock.advance(250);
    const second = await h.openLatest();
    h.client.send({ type: "b" });
    second.receive({ type: "d", seq: 2, epoch: "e" });
    expect(second.sentFrames).toEqual([]);
    second.receive({ type: "recovered", recovered: true, seq: 2, epoch: "e" });
    expect(second.sentFrames).toEqual([{ type: "a" }, { type: "b" }]);
  });

  it("throws QUEUE_FULL past queueMax and keeps the earlier messages", async () => {
    const h = createHarness({ queueMax: 3 });
    h.client.send({ n: 1 });
    h.client.send({ n: 2 });
    h.client.send({ n: 3 });
    let caught: HearthClientError | undefined;
    try {
      h.client.send({ n: 4 });
    } catch (error) {
      caught = error as HearthClientError;
    }
    expect(caught?.code).toBe("QUEUE_FULL");
    const socket = await h.openLatest();
    expect(socket.sentFrames).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("serializes at send time (later mutation of the object does not leak)", async () => {
    const h = createHarness();
    const message = { type: "a", v: 1 };
    h.client.send(message);
    message.v = 2;
    expect((await h.openLatest()).sentFrames).toEqual([{ type: "a", v: 1 }]);
  });

  it("a state listener that sends on live does not overtake the queue", async () => {
    const h = createHarness();
    h.client.on("state", (state) => {
      if (state === "live") h.client.send({ type: "from-listener" });
    });
    h.client.send({ type: "queued" });
    const socket = await h.openLatest();
    expect(socket.sentFrames).toEqual([{ type: "queued" }, { type: "from-listener" }]);
  });

  it("sends hello frames first on every connection", async () => {
    const h = createHarness({ hello: () => ({ type: "join", sessionId: "7TCJEM" }) });
    h.client.send({ type: "queued" });
    const first = await h.openLatest();
    first.serverClose(1006);
    await h.clock.advance(250);
    const second = await h.openLatest();
    second.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" }); // live: a resend of "queued" would show
    expect(h.client.state).toBe("live");
    expect(first.sentFrames).toEqual([{ type: "join", sessionId: "7TCJEM" }, { type: "queued" }]);
    expect(second.sentFrames).toEqual([{ type: "join", sessionId: "7TCJEM" }]);
  });

  it("hello may return several frames, sent even before a resume replay ends", async () => {
    const h = createHarness({ hello: () => [{ type: "auth" }, { type: "rejoin_room", room_id: "r" }], resumeFrom: { seq: 1, epoch: "e" } });
    const socket = await h.openLatest();
    expect(socket.sentFrames).toEqual([{ type: "auth" }, { type: "rejoin_room", room_id: "r" }]);
  });
});

describe("HearthSocket: commands with ids", () => {
  it("assigns an id, resolves on the ack and emits it", async () => {
    const h = createHarness({ createId: sequentialIds() });
    const socket = await h.openLatest();
    const acked = h.client.sendCommand({ type: "dice_roll", formula: "1d20" });
    expect(socket.sentFrames).toEqual([{ type: "dice_roll", formula: "1d20", id: "id1" }]);
    expect(h.client.pending).toBe(1);
    socket.receive({ type: "ack", id: "id1", seq: 4 });
    await expect(acked).resolves.toMatchObject({ id: "id1", seq: 4 });
    expect(h.client.pending).toBe(0);
  });

  it("keeps a caller-chosen id", async () => {
    const h = createHarness({ createId: sequentialIds() });
    const socket = await h.openLatest();
    void h.client.sendCommand({ type: "x", id: "mine" });
    expect(socket.sentFrames).toEqual([{ type: "x", id: "mine" }]);
  });

  it("resends unacknowledged commands after a reconnect, same id, original order; plain sends once", async () => {
    const h = createHarness({ createId: sequentialIds() });
    const first = await h.openLatest();
    const a = h.client.sendCommand({ type: "a" });
    h.client.send({ type: "plain" });
    void h.client.sendCommand({ type: "b" });
    first.receive({ type: "ack", id: "id2" });
    first.serverClose(1006);
    void h.client.sendCommand({ type: "c" });
    await h.clock.advance(250);
    const second = await h.openLatest();
    expect(second.sentFrames).toEqual([]); // resuming: nothing before the replay ended
    second.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" });
    expect(second.sentFrames).toEqual([
      { type: "a", id: "id1" },
      { type: "c", id: "id3" },
    ]);
    second.receive({ type: "ack", id: "id1", duplicate: true });
    await expect(a).resolves.toMatchObject({ id: "id1", duplicate: true });
    second.receive({ type: "ack", id: "id3" });
    second.serverClose(1006);
    await h.clock.advance(500);
    const third = await h.openLatest();
    third.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" });
    expect(h.client.state).toBe("live");
    expect(third.sentFrames).toEqual([]);
  });

  it("rejects with COMMAND_REJECTED on an error frame naming the id, still delivers the frame, never resends", async () => {
    const h = createHarness({ createId: sequentialIds() });
    const socket = await h.openLatest();
    const turn = h.client.sendCommand({ type: "bigger_dice.roll", room_id: "r" });
    const error = { type: "error", code: "NOT_YOUR_TURN", message: "Not your turn", id: "id1" };
    socket.receive(error);
    await expect(turn).rejects.toMatchObject({ code: "COMMAND_REJECTED", detail: error });
    expect(h.of("frame")).toEqual([error]);
    expect(h.client.pending).toBe(0);
  });

  it("unacknowledged commands count towards queueMax", async () => {
    const h = createHarness({ queueMax: 2, createId: sequentialIds() });
    await h.openLatest();
    void h.client.sendCommand({ type: "a" });
    void h.client.sendCommand({ type: "b" });
    expect(() => h.client.sendCommand({ type: "c" })).toThrow(expect.objectContaining({ code: "QUEUE_FULL" }));
    h.client.send({ type: "plain-while-live-is-not-held" });
  });

  it("close() rejects pending commands with CLOSED and discards the queue", async () => {
    const h = createHarness();
    const pending = h.client.sendCommand({ type: "a" });
    h.client.send({ type: "queued" });
    h.client.close();
    await expect(pending).rejects.toMatchObject({ code: "CLOSED" });
    expect(h.client.pending).toBe(0);
    expect(() => h.client.sendCommand({ type: "b" })).toThrow(expect.objectContaining({ code: "CLOSED" }));
  });

  it("a final server close rejects pending commands too", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    const pending = h.client.sendCommand({ type: "a" });
    socket.serverClose(4004, "Session not found");
    await expect(pending).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("an unawaited command rejected by close() is not an unhandled rejection", async () => {
    const h = createHarness();
    void h.client.sendCommand({ type: "a" });
    h.client.close();
    await h.settle(); // vitest fails the run on unhandled rejections
  });
});
