import { describe, expect, it } from "vitest";
import { CLOSE_CODES } from "./closePolicy.js";
import { createHarness } from "./testing/createHarness.js";

const cursors = (sent: readonly string[]) => sent.filter((t) => t.includes('"cursor"')).map((t) => JSON.parse(t) as Record<string, unknown>);

describe("[F4] the SDK acknowledges what it received (flow control)", () => {
  it("[F4] sends one cursor per cursorIntervalMs while frames arrive, counting wire frames and their length, never the runtime's pong", async () => {
    const h = createHarness({ cursorIntervalMs: 1_000, pingIntervalMs: 0 });
    const socket = await h.openLatest({ snapshot: { epoch: "e1" } });
    const texts = [JSON.stringify({ type: "snapshot", seq: 0, epoch: "e1", state: null })];
    for (let seq = 1; seq <= 5; seq++) {
      const f = { type: "delta", seq, epoch: "e1" };
      texts.push(JSON.stringify(f));
      socket.receive(f);
    }
    socket.receiveRaw("pong");
    expect(cursors(socket.sent)).toEqual([]); // batched: nothing yet
    await h.clock.advance(1_000);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    expect(cursors(socket.sent)).toEqual([{ type: "cursor", frames: 6, chars }]);
    // Nothing arrives: no more cursors.
    await h.clock.advance(10_000);
    expect(cursors(socket.sent)).toHaveLength(1);
    // A batch frame is one wire frame.
    const batch = { type: "batch", frames: [{ type: "delta", seq: 6, epoch: "e1" }, { type: "delta", seq: 7, epoch: "e1" }] };
    socket.receive(batch);
    await h.clock.advance(1_000);
    expect(cursors(socket.sent).at(-1)).toEqual({ type: "cursor", frames: 7, chars: chars + JSON.stringify(batch).length });
    expect(h.of("frame")).toHaveLength(7);
  });

  it("[F4] speaks the room's family: {event:'cursor', data} to an {event, data} room", async () => {
    const h = createHarness({ pingIntervalMs: 0 });
    const socket = await h.openLatest({ snapshot: false });
    socket.receive({ event: "snapshot", data: { state: {} }, seq: 0, epoch: "e1" });
    await h.clock.advance(1_000);
    expect(cursors(socket.sent)).toEqual([{ event: "cursor", data: { frames: 1, chars: expect.any(Number) } }]);
  });

  it("[F4] counts start over on each connection", async () => {
    const h = createHarness({ pingIntervalMs: 0 });
    const first = await h.openLatest({ snapshot: { epoch: "e1" } });
    first.receive({ type: "delta", seq: 1, epoch: "e1" });
    await h.clock.advance(1_000);
    expect(cursors(first.sent).at(-1)).toMatchObject({ frames: 2 });
    first.serverClose(1006);
    await h.clock.advance(250);
    const second = await h.openLatest();
    second.receive({ type: "recovered", recovered: true, seq: 1, epoch: "e1" });
    await h.clock.advance(1_000);
    expect(cursors(second.sent)).toEqual([{ type: "cursor", frames: 1, chars: expect.any(Number) }]);
  });

  it("[F4] a text frame the SDK can't use still counts (the room counted it)", async () => {
    const h = createHarness({ pingIntervalMs: 0 });
    const socket = await h.openLatest({ snapshot: false });
    socket.receiveRaw("not json");
    await h.clock.advance(1_000);
    expect(cursors(socket.sent)).toEqual([{ type: "cursor", frames: 1, chars: 8 }]);
  });

  it("[F4] cursorIntervalMs: 0 sends none", async () => {
    const h = createHarness({ cursorIntervalMs: 0, pingIntervalMs: 0 });
    const socket = await h.openLatest();
    socket.receive({ type: "delta", seq: 1, epoch: "e0" });
    await h.clock.advance(5_000);
    expect(socket.sent).toEqual([]);
  });

  it("[F4] after 4011 (too far behind) it reconnects and resumes from its cursor", async () => {
    const h = createHarness({ pingIntervalMs: 0 });
    const socket = await h.openLatest({ snapshot: { epoch: "e1" } });
    for (let seq = 1; seq <= 3; seq++) socket.receive({ type: "delta", seq, epoch: "e1" });
    await h.clock.advance(6_000);
    socket.serverClose(CLOSE_CODES.TOO_SLOW, "Too far behind");
    expect(h.of("close").at(-1)).toMatchObject({ code: 4011, final: false });
    await h.clock.advance(h.of("close").at(-1)!.retryInMs!);
    expect(h.sockets).toHaveLength(2);
    expect(h.latest().query.get("since")).toBe("3");
    expect(h.latest().query.get("epoch")).toBe("e1");
  });
});
