import { describe, expect, it } from "vitest";
import type { FakeSocket } from "./testing/fakeHost.ts";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const bob = user("bob");

/** Each wire frame as the client reads it: a batch is unpacked into its elements, tagged. */
function unpack(ws: FakeSocket): { frame: Record<string, unknown>; batch: number }[] {
  return ws.take().flatMap((f, i) => (f.type === "batch" ? (f.frames as Record<string, unknown>[]).map((frame) => ({ frame, batch: i })) : [{ frame: f, batch: -1 - i }]));
}

/** Rooms over the memory store: what a socket that asked for batches gets ([B1]). */
describe("[B1] batching in the room", () => {
  it("a burst reaches a batch=1 socket as one frame per window, every event with its own seq, in order; others get one frame each", () => {
    const h = new RoomHarness().create();
    const batched = h.connect(ann, { batch: "1" });
    const plain = h.connect(bob);
    const sender = h.connect(user("cat"));
    h.host.runLater(); // the joins that reached `batched` in its window
    batched.take();
    plain.take();
    h.clock.advance(1_000);
    for (let i = 0; i < 10; i++) h.send(sender, { type: "inc" });
    // The first event went at once; the other nine wait for the window.
    expect(batched.outgoing).toHaveLength(1);
    expect(plain.outgoing).toHaveLength(10);
    h.clock.advance(50);
    h.host.runLater();
    const got = unpack(batched);
    expect(got.map((g) => g.frame.seq)).toEqual(plain.take().map((f) => f.seq));
    expect(new Set(got.map((g) => g.batch)).size).toBe(2);
    const seqs = got.map((g) => g.frame.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(got.every((g) => g.frame.type === "count" && typeof g.frame.epoch === "string")).toBe(true);
  });

  it("a command's ack follows the events before it, inside the same batch (order is kept across kinds of frame)", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann, { batch: "1" });
    h.clock.advance(1_000);
    h.room.message(ws, JSON.stringify({ type: "inc" }));
    h.room.message(ws, JSON.stringify({ type: "inc", id: "c1" }));
    h.host.runLater();
    const got = unpack(ws).map((g) => g.frame);
    expect(got.map((f) => f.type)).toEqual(["count", "count", "ack"]);
    expect(got[2]).toMatchObject({ id: "c1", seq: got[1]!.seq });
  });

  it("a resume replays into batches sent at once (no window to wait), then recovered; across a batch boundary nothing is lost or doubled", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    const inc = () => {
      h.clock.advance(200); // under the socket's rate limit
      h.send(a, { type: "inc" });
    };
    for (let i = 0; i < 5; i++) inc();
    const since = h.store.head();
    const epoch = h.store.meta()!.epoch;
    for (let i = 0; i < 150; i++) inc();
    const { ws, result } = h.connectResult(bob, { batch: "1", since: String(since), epoch });
    expect(result.ok).toBe(true);
    // Everything is on the wire before any timer ran: the catch-up flushed itself.
    const wire = ws.take();
    expect(wire.length).toBeLessThan(10);
    const frames = wire.flatMap((f) => (f.type === "batch" ? (f.frames as Record<string, unknown>[]) : [f]));
    const replayed = frames.filter((f) => f.type === "count").map((f) => f.seq);
    expect(replayed).toEqual(Array.from({ length: 150 }, (_, i) => since + 1 + i));
    expect(frames.at(-1)).toMatchObject({ recovered: true, seq: h.store.head() });
  });

  it("what waits in a batch goes out before the room closes the socket (token expiry at the alarm)", async () => {
    const h = new RoomHarness({ metricsFlushMs: 3_600_000 }).create();
    const sender = h.connect(bob);
    const ws = h.connect(ann, { batch: "1" }, { expiresAt: h.clock.t + 1_000 });
    h.host.timers.length = 0; // the windows of the joins: not run, so frames keep waiting
    h.clock.advance(999);
    h.send(sender, { type: "inc" });
    h.send(sender, { type: "inc" });
    const waiting = ws.outgoing.length;
    h.clock.advance(10);
    expect(await h.fireAlarm()).toBe(true);
    expect(ws.closed).toMatchObject({ code: 4001 });
    const frames = ws.take().flatMap((f) => (f.type === "batch" ? (f.frames as Record<string, unknown>[]) : [f]));
    expect(ws.outgoing.length + frames.length).toBeGreaterThan(waiting);
    expect(frames.filter((f) => f.type === "count")).toHaveLength(2);
  });

  it("a batch that fails later (the socket died meanwhile) still runs its user's leave", async () => {
    const h = new RoomHarness().create();
    const watcher = h.connect(bob);
    const ws = h.connect(ann, { batch: "1" });
    watcher.take();
    h.clock.advance(1_000);
    h.send(watcher, { type: "inc" });
    h.send(watcher, { type: "inc" });
    ws.die();
    h.host.runLater();
    await settle();
    expect(watcher.take()).toContainEqual(expect.objectContaining({ type: "leave", user: "ann" }));
  });

  it("a flush timer the runtime dropped delays a batch until the room's next event, never strands it", () => {
    const h = new RoomHarness().create();
    const ws = h.connect(ann, { batch: "1" });
    const sender = h.connect(bob);
    h.host.runLater();
    ws.take();
    h.clock.advance(1_000);
    h.send(sender, { type: "inc" });
    h.send(sender, { type: "inc" });
    expect(ws.outgoing).toHaveLength(1);
    h.host.timers.length = 0; // dropped
    h.clock.advance(100);
    h.room.message(sender, JSON.stringify({ type: "nope" })); // any event of the object
    const counts = unpack(ws).filter((g) => g.frame.type === "count");
    expect(counts).toHaveLength(2);
  });
});
