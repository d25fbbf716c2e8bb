import { describe, expect, it } from "vitest";
import { FrameBatcher } from "./frameBatcher.ts";
import type { HostSocket } from "./RoomHost.ts";

/** A batcher over a hand-moved clock and hand-run timers; `wire` is what reached the socket. */
function setup(opts: { windowMs?: number; maxFrames?: number } = {}) {
  let t = 1_000;
  const timers: { fn: () => void; ms: number }[] = [];
  const wire: { text: string; deferred: boolean }[] = [];
  let dead = false;
  const ws = {} as HostSocket;
  const batcher = new FrameBatcher({
    now: () => t,
    later: (fn, ms) => timers.push({ fn, ms }),
    write: (_ws, text, deferred) => {
      if (dead) return false;
      wire.push({ text, deferred });
      return true;
    },
    wrap: (frames) => `[${frames.join(",")}]`,
    ...opts,
  });
  return {
    batcher,
    ws,
    wire,
    timers,
    advance: (ms: number) => (t += ms),
    runTimers: () => timers.splice(0).forEach((x) => x.fn()),
    kill: () => (dead = true),
  };
}

describe("[B1] FrameBatcher", () => {
  it("sends a frame after a quiet window at once and alone (a lone event is never delayed)", () => {
    const s = setup();
    expect(s.batcher.send(s.ws, "1")).toBe(true);
    expect(s.wire).toEqual([{ text: "1", deferred: false }]);
    expect(s.timers).toEqual([]);
    s.advance(50);
    s.batcher.send(s.ws, "2");
    expect(s.wire.map((w) => w.text)).toEqual(["1", "2"]);
  });

  it("coalesces what follows within the window into one frame when the window ends, in order", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.advance(10);
    s.batcher.send(s.ws, "2");
    s.advance(5);
    s.batcher.send(s.ws, "3");
    expect(s.wire.map((w) => w.text)).toEqual(["1"]);
    expect(s.batcher.waiting(s.ws)).toBe(2);
    // One timer, set for the rest of the window that began with frame 1.
    expect(s.timers.map((x) => x.ms)).toEqual([40]);
    s.advance(35);
    s.runTimers();
    expect(s.wire).toEqual([
      { text: "1", deferred: false },
      { text: "[2,3]", deferred: true },
    ]);
    expect(s.batcher.waiting(s.ws)).toBe(0);
  });

  it("a lone frame waiting in a window leaves unwrapped", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.batcher.send(s.ws, "2");
    s.runTimers();
    expect(s.wire.map((w) => w.text)).toEqual(["1", "2"]);
  });

  it("flushes at once when maxFrames wait, without waiting for the timer", () => {
    const s = setup({ maxFrames: 3 });
    for (const f of ["1", "2", "3", "4", "5", "6", "7"]) s.batcher.send(s.ws, f);
    expect(s.wire.map((w) => w.text)).toEqual(["1", "[2,3,4]", "[5,6,7]"]);
    expect(s.wire[1]!.deferred).toBe(false);
    s.runTimers(); // the window's timer finds nothing left
    expect(s.wire).toHaveLength(3);
  });

  it("flush() sends what waits now; a frame right after it waits for the next window", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.batcher.send(s.ws, "2");
    s.batcher.send(s.ws, "3");
    s.batcher.flush(s.ws);
    expect(s.wire.map((w) => w.text)).toEqual(["1", "[2,3]"]);
    s.batcher.send(s.ws, "4");
    expect(s.wire).toHaveLength(2);
    s.runTimers();
    expect(s.wire.map((w) => w.text)).toEqual(["1", "[2,3]", "4"]);
  });

  it("reports a dead socket: a direct send returns false; a deferred flush tells the writer (deferred = true)", () => {
    const s = setup();
    s.kill();
    expect(s.batcher.send(s.ws, "1")).toBe(false);
    expect(s.batcher.send(s.ws, "2")).toBe(true); // queued: nothing known yet
    expect(s.batcher.flush(s.ws)).toBe(false);
  });

  it("forget() drops what waited: a later timer sends nothing", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.batcher.send(s.ws, "2");
    s.batcher.forget(s.ws);
    s.runTimers();
    expect(s.wire.map((w) => w.text)).toEqual(["1"]);
  });

  it("keeps sockets apart", () => {
    const s = setup();
    const other = {} as HostSocket;
    s.batcher.send(s.ws, "a1");
    s.batcher.send(other, "b1");
    s.batcher.send(s.ws, "a2");
    expect(s.wire.map((w) => w.text)).toEqual(["a1", "b1"]);
    expect(s.batcher.waiting(other)).toBe(0);
    s.runTimers();
    expect(s.wire.map((w) => w.text)).toEqual(["a1", "b1", "a2"]);
  });
});

describe("[B1] FrameBatcher: a dropped flush timer", () => {
  it("delays a batch, never strands it: the next send (or flushOverdue) past the window flushes what waited", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.batcher.send(s.ws, "2");
    s.timers.length = 0; // the runtime dropped the timer
    s.advance(99);
    s.batcher.flushOverdue(); // due at 50, overdue only from 100
    expect(s.wire.map((w) => w.text)).toEqual(["1"]);
    s.advance(1);
    s.batcher.flushOverdue();
    expect(s.wire.map((w) => w.text)).toEqual(["1", "2"]);
    // A new window gets a new timer.
    s.batcher.send(s.ws, "3");
    expect(s.timers).toHaveLength(1);
  });

  it("a send after a dropped timer flushes the old batch first, keeping order", () => {
    const s = setup();
    s.batcher.send(s.ws, "1");
    s.batcher.send(s.ws, "2");
    s.timers.length = 0;
    s.advance(200);
    s.batcher.send(s.ws, "3");
    expect(s.wire.map((w) => w.text)).toEqual(["1", "2"]);
    s.runTimers();
    expect(s.wire.map((w) => w.text)).toEqual(["1", "2", "3"]);
  });
});
