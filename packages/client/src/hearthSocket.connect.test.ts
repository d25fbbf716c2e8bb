import { describe, expect, it } from "vitest";
import { HearthSocket } from "./hearthSocket.js";
import { createHarness } from "./testing/createHarness.js";
import { fakeWebSocketClass } from "./testing/fakeWebSocket.js";
import { FakeClock } from "./testing/fakeClock.js";
import type { WebSocketConstructor } from "./webSocketLike.js";

describe("HearthSocket: connecting", () => {
  it("sends the token as the subprotocol pair by default and keeps it out of the URL", async () => {
    const h = createHarness();
    await h.settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.latest().protocols).toEqual(["hearth", "bearer.jwt-1"]);
    expect(h.latest().query.has("token")).toBe(false);
  });

  it("sends the token as ?token= with tokenIn: query, plus app params", async () => {
    const h = createHarness({ tokenIn: "query", params: { teamCode: "7TCJEM" } });
    await h.settle();
    expect(h.latest().protocols).toEqual(["hearth"]);
    expect(h.latest().query.get("token")).toBe("jwt-1");
    expect(h.latest().query.get("teamCode")).toBe("7TCJEM");
  });

  it("goes connecting -> live once a fresh connection is open and has its snapshot", async () => {
    const h = createHarness();
    expect(h.client.state).toBe("connecting");
    await h.openLatest();
    expect(h.client.state).toBe("live");
    expect(h.of("state")).toEqual(["live"]);
  });

  it("a fresh connection stays connecting after open until its snapshot, which comes before the flush and live", async () => {
    const h = createHarness({ resumeTimeoutMs: 3_000, createId: () => "c1" });
    const sentWhenSnapshotSeen: unknown[][] = [];
    h.client.send({ type: "a" });
    void h.client.sendCommand({ type: "cmd" });
    const socket = await h.openLatest({ snapshot: false });
    h.client.on("snapshot", () => sentWhenSnapshotSeen.push([...socket.sentFrames]));
    expect(h.client.state).toBe("connecting");
    h.client.send({ type: "b" }); // open, but not caught up: still queued
    await h.clock.advance(2_999);
    expect(h.client.state).toBe("connecting");
    expect(socket.sentFrames).toEqual([]);
    expect(h.client.pending).toBe(3);

    socket.receive({ type: "snapshot", seq: 4, epoch: "e1", state: { v: 1 } });
    expect(sentWhenSnapshotSeen).toEqual([[]]); // the app had its data before anything went out
    expect(socket.sentFrames).toEqual([{ type: "a" }, { type: "cmd", id: "c1" }, { type: "b" }]);
    expect(h.events.map(([name]) => name)).toEqual(["snapshot", "state"]);
    expect(h.of("state")).toEqual(["live"]);
    expect(h.client.position).toEqual({ seq: 4, epoch: "e1" });
    await h.clock.advance(10_000); // the snapshot ended the wait: no timeout later
    expect(h.of("error")).toEqual([]);
  });

  it("a fresh connection that never gets a snapshot goes live after resumeTimeoutMs with SNAPSHOT_TIMEOUT", async () => {
    const h = createHarness({ resumeTimeoutMs: 3_000 });
    h.client.send({ type: "queued" });
    const socket = await h.openLatest({ snapshot: false });
    await h.clock.advance(2_999);
    expect(h.client.state).toBe("connecting");
    expect(socket.sentFrames).toEqual([]);
    expect(h.events).toEqual([]);
    await h.clock.advance(1);
    expect(h.events.map(([name]) => name)).toEqual(["error", "state"]);
    expect(h.of("error").map((error) => error.code)).toEqual(["SNAPSHOT_TIMEOUT"]);
    expect(h.client.state).toBe("live");
    expect(socket.sentFrames).toEqual([{ type: "queued" }]);
    socket.receive({ type: "snapshot", seq: 2, epoch: "e1", state: "late" }); // still applied, no second "live"
    expect(h.of("snapshot").map((snapshot) => snapshot.state)).toEqual(["late"]);
    expect(h.of("state")).toEqual(["live"]);
    expect(h.client.position).toEqual({ seq: 2, epoch: "e1" });
  });

  it("calls getToken before every connect and uses the fresh value", async () => {
    let calls = 0;
    const h = createHarness({ token: undefined, getToken: async () => `t${++calls}` });
    await h.openLatest();
    h.latest().serverClose(1006);
    await h.clock.advance(250);
    expect(calls).toBe(2);
    expect(h.sockets.map((socket) => socket.protocols)).toEqual([
      ["hearth", "bearer.t1"],
      ["hearth", "bearer.t2"],
    ]);
  });

  it("treats a failing getToken as a failed attempt: error event, backoff, retry", async () => {
    let calls = 0;
    const h = createHarness({
      token: undefined,
      getToken: () => {
        calls++;
        if (calls === 1) throw new Error("token endpoint down");
        return Promise.resolve("ok");
      },
    });
    await h.settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.of("error").map((error) => error.code)).toEqual(["TOKEN_FAILED"]);
    expect(h.of("close")).toEqual([{ code: 1006, reason: "token unavailable", final: false, retryInMs: 250 }]);
    await h.clock.advance(250);
    expect(h.sockets).toHaveLength(1);
    expect(h.latest().protocols).toEqual(["hearth", "bearer.ok"]);
  });

  it("ignores a token that resolves after a newer attempt started (token refresh race)", async () => {
    const resolvers: Array<(token: string) => void> = [];
    const h = createHarness({
      token: undefined,
      getToken: () => new Promise<string>((resolve) => resolvers.push(resolve)),
    });
    h.client.reconnect(); // a second attempt while the first token is still in flight
    expect(resolvers).toHaveLength(2);
    resolvers[1]?.("new");
    await h.settle();
    resolvers[0]?.("old");
    await h.settle();
    expect(h.sockets.map((socket) => socket.protocols)).toEqual([["hearth", "bearer.new"]]);
  });

  it("opens no socket when close() happens while the token is still being fetched", async () => {
    let resolveToken: (token: string) => void = () => {};
    const h = createHarness({ token: undefined, getToken: () => new Promise<string>((resolve) => (resolveToken = resolve)) });
    h.client.close();
    resolveToken("late");
    await h.settle();
    expect(h.sockets).toHaveLength(0);
  });

  it("never has two sockets open: reconnect() closes the old one first", async () => {
    const h = createHarness();
    const first = await h.openLatest();
    h.client.reconnect();
    await h.settle();
    expect(first.clientClose).toEqual({ code: 1000, reason: "client reconnecting" });
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets.filter((socket) => socket.readyState <= 1)).toHaveLength(1);
    expect(h.client.state).toBe("reconnecting");
  });

  it("ignores every late event of an abandoned socket", async () => {
    const h = createHarness();
    const first = await h.openLatest();
    h.client.reconnect();
    const second = await h.openLatest(); // resumes from the first snapshot's cursor (0 of "e0")
    second.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" });
    const before = h.events.length;
    first.receive({ type: "chat", seq: 1, epoch: "e" });
    first.open();
    first.serverClose(1006);
    await h.clock.advance(40_000); // pings go out, but stays inside the 50 s dead-socket window
    expect(h.events.slice(before).filter(([name]) => name !== "state")).toEqual([]);
    expect(h.sockets).toHaveLength(2);
    expect(h.client.state).toBe("live");
    expect(h.client.position).toEqual({ seq: 0, epoch: "e0" }); // not moved by the late frame
    expect(second.readyState).toBe(1);
  });

  it("gives up on a handshake that hangs (connect timeout) and retries", async () => {
    const h = createHarness({ connectTimeoutMs: 10_000 });
    await h.settle();
    const hanging = h.latest();
    await h.clock.advance(10_000);
    expect(hanging.clientClose).toBeDefined();
    expect(h.of("close")[0]).toMatchObject({ code: 1006, reason: "connect timeout", final: false });
    await h.clock.advance(250);
    expect(h.sockets).toHaveLength(2);
  });

  it("reports a throwing WebSocket constructor and retries", async () => {
    const clock = new FakeClock();
    const { WebSocket, sockets } = fakeWebSocketClass();
    let throwNext = true;
    class Flaky extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        if (throwNext) {
          throwNext = false;
          throw new Error("SecurityError");
        }
        super(url, protocols);
      }
    }
    const client = new HearthSocket({ url: "wss://h.test/x", WebSocket: Flaky, clock, random: () => 0.5, lifecycle: false });
    const errors: string[] = [];
    client.on("error", (error) => errors.push(error.code));
    await clock.advance(0);
    expect(errors).toEqual(["SOCKET_FAILED"]);
    await clock.advance(250);
    expect(sockets).toHaveLength(1);
  });

  it("accepts the runtime's own WebSocket class as the default implementation", () => {
    // Type-level: fails `tsc` if WebSocketLike drifts from what real WebSockets provide.
    const runtimeWebSocket: WebSocketConstructor = WebSocket;
    expect(typeof runtimeWebSocket).toBe("function");
  });

  it("throws at construction for a malformed URL instead of retrying forever", () => {
    const { WebSocket } = fakeWebSocketClass();
    expect(() => new HearthSocket({ url: "::nope::", WebSocket, lifecycle: false })).toThrow();
  });

  it("isolates listener errors: reported as LISTENER_FAILED, bookkeeping and other listeners continue", async () => {
    const h = createHarness();
    h.client.on("frame", () => {
      throw new Error("app bug");
    });
    const seen: unknown[] = [];
    h.client.on("frame", (frame) => seen.push(frame));
    const socket = await h.openLatest({ snapshot: { epoch: "e" } });
    socket.receive({ type: "chat", seq: 1, epoch: "e" });
    expect(seen).toHaveLength(1);
    expect(h.client.position).toEqual({ seq: 1, epoch: "e" });
    expect(h.of("error").map((error) => error.code)).toEqual(["LISTENER_FAILED"]);
  });

  it("on() returns an unsubscribe function", async () => {
    const h = createHarness();
    const seen: unknown[] = [];
    const off = h.client.on("frame", (frame) => seen.push(frame));
    const socket = await h.openLatest();
    socket.receive({ type: "a" });
    off();
    socket.receive({ type: "b" });
    expect(seen).toEqual([{ type: "a" }]);
  });
});
