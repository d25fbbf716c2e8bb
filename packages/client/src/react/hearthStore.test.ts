import { describe, expect, it } from "vitest";
import { FakeClock, flushMicrotasks } from "../testing/fakeClock.js";
import { fakeWebSocketClass } from "../testing/fakeWebSocket.js";
import { HearthStore, type HearthStoreOptions } from "./hearthStore.js";

type Frame = Record<string, unknown>;

function setup<R = unknown>(options: Partial<HearthStoreOptions<Frame, Frame, R>> = {}) {
  const clock = new FakeClock();
  const { WebSocket, sockets } = fakeWebSocketClass();
  const store = new HearthStore<Frame, Frame, R>({
    url: "wss://hearth.test/ws/room/r1",
    token: "jwt-1",
    WebSocket,
    clock,
    random: () => 0.5,
    lifecycle: false,
    ...options,
  });
  const latest = () => {
    const socket = sockets[sockets.length - 1];
    if (!socket) throw new Error("no socket yet");
    return socket;
  };
  return { store, clock, sockets, latest };
}

describe("HearthStore", () => {
  it("makes no socket until the first subscribe, then connects and goes live with the snapshot", async () => {
    const { store, sockets, latest } = setup();
    await flushMicrotasks();
    expect(sockets).toHaveLength(0);
    expect(store.socket).toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ state: "idle", snapshot: undefined, frames: [] });

    let notified = 0;
    const stop = store.subscribe(() => notified++);
    await flushMicrotasks();
    expect(sockets).toHaveLength(1);
    expect(store.getSnapshot().state).toBe("connecting");
    latest().open({ snapshot: { state: { n: 1 } } });
    expect(store.getSnapshot()).toMatchObject({ state: "live", snapshot: { state: { n: 1 }, seq: 0 }, reduced: { n: 1 } });
    expect(notified).toBeGreaterThanOrEqual(2);
    stop();
  });

  it("getSnapshot is stable between changes and a new object after each (Object.is contract)", async () => {
    const { store, latest } = setup();
    const stop = store.subscribe(() => {});
    await flushMicrotasks();
    latest().open();
    const a = store.getSnapshot();
    expect(store.getSnapshot()).toBe(a);
    latest().receive({ type: "publish", seq: 1, epoch: "e0" });
    const b = store.getSnapshot();
    expect(b).not.toBe(a);
    expect(store.getSnapshot()).toBe(b);
    expect(a.frames).toHaveLength(0); // old views are never mutated
    expect(b.frames).toEqual([{ type: "publish", seq: 1, epoch: "e0" }]);
    stop();
  });

  it("getServerSnapshot is the constant initial view", () => {
    const { store } = setup<string[]>({ initial: [] });
    const server = store.getServerSnapshot();
    expect(server).toBe(store.getServerSnapshot());
    expect(server).toMatchObject({ state: "idle", reduced: [] });
  });

  it("reduce folds frames from fromSnapshot(snapshot); a new snapshot replaces the fold and clears frames", async () => {
    const { store, latest } = setup<number[]>({
      initial: [],
      fromSnapshot: (s) => (s.state as { list: number[] }).list,
      reduce: (list, frame) => [...list, frame.n as number],
    });
    const stop = store.subscribe(() => {});
    await flushMicrotasks();
    latest().open({ snapshot: { state: { list: [1] } } });
    latest().receive({ type: "add", n: 2, seq: 1, epoch: "e0" });
    latest().receive({ type: "add", n: 3, seq: 2, epoch: "e0" });
    latest().receive({ type: "add", n: 3, seq: 2, epoch: "e0" }); // duplicate: dropped by the SDK
    expect(store.getSnapshot().reduced).toEqual([1, 2, 3]);
    expect(store.getSnapshot().frames).toHaveLength(2);
    latest().receive({ type: "snapshot", seq: 9, epoch: "e0", recovered: false, state: { list: [7] } });
    expect(store.getSnapshot()).toMatchObject({ reduced: [7], frames: [] });
    stop();
  });

  it("keeps at most maxFrames frames, newest last; maxFrames 0 keeps none", async () => {
    const bounded = setup({ maxFrames: 2 });
    const none = setup({ maxFrames: 0 });
    for (const { store, latest } of [bounded, none]) {
      store.subscribe(() => {});
      await flushMicrotasks();
      latest().open();
      for (let seq = 1; seq <= 5; seq++) latest().receive({ type: "publish", seq, epoch: "e0" });
    }
    expect(bounded.store.getSnapshot().frames.map((f) => f.seq)).toEqual([4, 5]);
    expect(none.store.getSnapshot().frames).toEqual([]);
  });

  it("uses the latest callbacks (setCallbacks) without making a new socket", async () => {
    const { store, sockets, latest } = setup<number>({ initial: 0, fromSnapshot: () => 0, reduce: (n) => n + 1 });
    store.subscribe(() => {});
    await flushMicrotasks();
    latest().open();
    latest().receive({ type: "x", seq: 1, epoch: "e0" });
    store.setCallbacks({ fromSnapshot: () => 0, reduce: (n) => n + 10 });
    latest().receive({ type: "x", seq: 2, epoch: "e0" });
    expect(store.getSnapshot().reduced).toBe(11);
    expect(sockets).toHaveLength(1);
  });

  it("StrictMode's subscribe, unsubscribe, subscribe in one tick keeps one socket", async () => {
    const { store, sockets } = setup();
    const first = store.subscribe(() => {});
    const socket = store.socket;
    first();
    const second = store.subscribe(() => {});
    await flushMicrotasks();
    expect(store.socket).toBe(socket);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.clientClose).toBeUndefined();
    second();
  });

  it("closes the socket a microtask after the last unsubscribe; a later subscribe makes a fresh one", async () => {
    const { store, sockets, clock, latest } = setup();
    const a = store.subscribe(() => {});
    const b = store.subscribe(() => {});
    await flushMicrotasks();
    latest().open();
    a();
    await flushMicrotasks();
    expect(store.socket).toBeDefined(); // b still subscribed
    b();
    expect(store.socket).toBeDefined(); // not yet: deferred by a microtask
    await flushMicrotasks();
    expect(store.socket).toBeUndefined();
    expect(sockets[0]!.clientClose).toMatchObject({ code: 1000 });
    expect(store.getSnapshot().state).toBe("closed");
    expect(clock.pendingTimers).toBe(0); // the closed socket left no timer behind

    store.subscribe(() => {});
    await flushMicrotasks();
    expect(sockets).toHaveLength(2);
    expect(store.getSnapshot()).toMatchObject({ state: "connecting", snapshot: undefined, frames: [] });
  });

  it("a send before anyone subscribed (a child's effect) is queued and goes out once the parent subscribes", async () => {
    const { store, latest, sockets } = setup();
    store.send({ type: "hello" });
    const acked = store.sendCommand({ type: "cmd", id: "c1" });
    expect(sockets).toHaveLength(0); // made, but not connecting (startClosed) until subscribed
    expect(store.socket?.state).toBe("idle");
    store.subscribe(() => {});
    await flushMicrotasks();
    const socket = latest();
    socket.open();
    expect(socket.sentFrames).toEqual([{ type: "hello" }, { type: "cmd", id: "c1" }]);
    socket.receive({ type: "ack", id: "c1", seq: 1 });
    await expect(acked).resolves.toMatchObject({ id: "c1", seq: 1 });
  });

  it("a send with no subscriber at all does not keep a socket alive", async () => {
    const { store } = setup();
    store.send({ type: "orphan" });
    expect(store.socket).toBeDefined();
    await flushMicrotasks();
    expect(store.socket).toBeUndefined();
  });

  it("close() is final: socket closed, sends throw CLOSED, subscribe makes no socket", async () => {
    const { store, sockets } = setup();
    store.subscribe(() => {});
    await flushMicrotasks();
    store.close();
    store.close();
    expect(store.getSnapshot().state).toBe("closed");
    expect(() => store.send({ type: "late" })).toThrow(expect.objectContaining({ code: "CLOSED" }));
    store.subscribe(() => {});
    await flushMicrotasks();
    expect(sockets).toHaveLength(1);
  });

  it("records the last error, and passes getToken/hello through as the latest closures", async () => {
    const { store, latest, clock } = setup({ token: undefined, getToken: () => "t1", hello: () => ({ type: "join", who: "a" }) });
    store.subscribe(() => {});
    await flushMicrotasks();
    expect(latest().protocols).toEqual(["hearth", "bearer.t1"]);
    store.setCallbacks({ getToken: () => "t2", hello: () => ({ type: "join", who: "b" }) });
    latest().open();
    expect(latest().sentFrames[0]).toEqual({ type: "join", who: "b" });
    latest().receiveRaw(new ArrayBuffer(1));
    expect(store.getSnapshot().error?.code).toBe("BAD_FRAME");
    latest().serverClose(1006);
    await clock.advance(60_000);
    expect(latest().protocols).toEqual(["hearth", "bearer.t2"]);
  });
});
