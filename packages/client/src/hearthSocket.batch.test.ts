import { describe, expect, it } from "vitest";
import { createHarness } from "./testing/createHarness.js";

const frames = (h: ReturnType<typeof createHarness>) => h.of("frame").map((f) => f.seq ?? f.type);

describe("[B1] HearthSocket: batch frames", () => {
  it("asks for batches (batch=1) unless told not to", async () => {
    const h = createHarness();
    expect((await h.openLatest()).query.get("batch")).toBe("1");
    const off = createHarness({ batch: false });
    expect((await off.openLatest()).query.has("batch")).toBe(false);
  });

  it("unpacks a batch: frame listeners see one frame at a time, in order, each with its own seq", async () => {
    const h = createHarness();
    const socket = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    socket.receive({ type: "publish", seq: 1, epoch: "e0" });
    socket.receive({ type: "batch", frames: [2, 3, 4].map((seq) => ({ type: "publish", seq, epoch: "e0" })) });
    expect(frames(h)).toEqual([1, 2, 3, 4]);
    expect(h.client.position).toEqual({ seq: 4, epoch: "e0" });
    // The event family wraps its frames in data.
    socket.receive({ event: "batch", data: { frames: [{ event: "publish", data: {}, seq: 5, epoch: "e0" }] } });
    expect(frames(h)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a resume across a batch boundary: duplicates inside a batch are dropped, acks and the recovered marker inside it act", async () => {
    const h = createHarness();
    const first = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    first.receive({ type: "batch", frames: [1, 2].map((seq) => ({ type: "publish", seq, epoch: "e0" })) });
    const acked = h.client.sendCommand({ type: "publish", id: "c1" });
    first.serverClose(1006);
    await h.clock.advance(h.of("close").at(-1)!.retryInMs!);
    const second = h.latest();
    expect(second.query.get("since")).toBe("2");
    second.open();
    second.receive({
      type: "batch",
      frames: [
        { type: "publish", seq: 2, epoch: "e0" }, // already seen: dropped
        { type: "publish", seq: 3, epoch: "e0" },
        { type: "recovered", recovered: true, seq: 3, epoch: "e0" },
        { type: "ack", id: "c1", seq: 4 },
        { type: "publish", seq: 4, epoch: "e0" },
      ],
    });
    expect(frames(h)).toEqual([1, 2, 3, 4]);
    expect(h.of("resumed")).toEqual([{ replayed: 1 }]);
    await expect(acked).resolves.toMatchObject({ id: "c1", seq: 4 });
    expect(h.client.state).toBe("live");
  });

  it("another stream's frames inside a batch are delivered in order; the room's cursor moves only with its own", async () => {
    const h = createHarness();
    const socket = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    socket.receive({
      type: "batch",
      frames: [
        { type: "publish", seq: 1, epoch: "e0" },
        { type: "publish", seq: 1, epoch: "e1" },
        { type: "publish", seq: 2, epoch: "e1" },
      ],
    });
    expect(frames(h)).toEqual([1, 1, 2]);
    await h.settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.client.position).toEqual({ seq: 1, epoch: "e0" });
  });

  it("a batch element that is not an object is a BAD_FRAME error; the others still arrive", async () => {
    const h = createHarness();
    const socket = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    socket.receive({ type: "batch", frames: [{ type: "publish", seq: 1, epoch: "e0" }, 7, { type: "publish", seq: 2, epoch: "e0" }] });
    expect(frames(h)).toEqual([1, 2]);
    expect(h.of("error").map((e) => e.code)).toEqual(["BAD_FRAME"]);
  });
});
