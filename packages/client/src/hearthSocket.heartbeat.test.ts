import { describe, expect, it } from "vitest";
import { createHarness } from "./testing/createHarness.js";

describe("HearthSocket: heartbeat", () => {
  it("sends a plain-text ping every pingIntervalMs while open", async () => {
    const h = createHarness({ cursorIntervalMs: 0 }); // exact frames: no flow-control cursor ([F1])
    await h.settle();
    await h.clock.advance(5_000);
    expect(h.latest().sent).toEqual([]); // not while connecting
    h.latest().open();
    await h.clock.advance(25_000);
    expect(h.latest().sent).toEqual(["ping"]);
    h.latest().receive("pong");
    await h.clock.advance(25_000);
    expect(h.latest().pings).toBe(2);
  });

  it("stays connected for as long as pongs come back", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    for (let i = 0; i < 10; i++) {
      await h.clock.advance(25_000);
      socket.receive("pong");
    }
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("live");
  });

  it("treats a socket silent for deadAfterMs as dead: closes it and reconnects", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    await h.clock.advance(49_999);
    expect(h.client.state).toBe("live");
    await h.clock.advance(1);
    expect(socket.clientClose).toBeDefined();
    expect(h.of("close")).toEqual([{ code: 1006, reason: "no data received (dead connection)", final: false, retryInMs: 250 }]);
    expect(h.client.state).toBe("reconnecting");
    await h.clock.advance(250);
    expect(h.sockets).toHaveLength(2);
  });

  it("any frame counts as a sign of life", async () => {
    const h = createHarness({ deadAfterMs: 30_000 });
    const socket = await h.openLatest();
    await h.clock.advance(20_000);
    socket.receive({ type: "presence" });
    await h.clock.advance(29_999);
    expect(h.sockets).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.client.state).toBe("reconnecting");
  });

  it("pingIntervalMs: 0 disables ping and the dead-socket check", async () => {
    const h = createHarness({ pingIntervalMs: 0, cursorIntervalMs: 0 });
    const socket = await h.openLatest();
    await h.clock.advance(10 * 60_000);
    expect(socket.sent).toEqual([]);
    expect(h.client.state).toBe("live");
  });

  it("notices a dead socket right after a sleep (wall clock jumped, timers late)", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    h.clock.jump(30 * 60_000);
    await h.clock.advance(0); // the overdue timers fire now, once
    expect(socket.clientClose).toBeDefined();
    expect(h.client.state).toBe("reconnecting");
  });
});

describe("HearthSocket: wake-up checks", () => {
  it("on wake with recent data, probes with a ping and reconnects at once if unanswered", async () => {
    const h = createHarness({ probeTimeoutMs: 5_000, cursorIntervalMs: 0 });
    const socket = await h.openLatest();
    await h.clock.advance(10_000);
    h.client.wake("online");
    expect(socket.sent).toEqual(["ping"]);
    await h.clock.advance(5_000);
    expect(socket.clientClose).toBeDefined();
    expect(h.of("close")[0]?.reason).toBe("no data received (dead connection)");
  });

  it("an answered probe keeps the socket", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    h.client.wake("visible");
    socket.receive("pong");
    await h.clock.advance(20_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("live");
  });

  it("on wake after a long throttled silence, reconnects immediately without probing", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    h.clock.jump(120_000); // background tab: timers did not run
    h.client.wake("visible");
    expect(h.of("close")).toEqual([{ code: 1006, reason: "no data received (checked on wake)", final: false, retryInMs: 0 }]);
    await h.clock.advance(0);
    expect(socket.clientClose).toBeDefined();
    expect(h.sockets).toHaveLength(2);
  });
});
