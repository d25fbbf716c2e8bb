import { describe, expect, it } from "vitest";
import type { WakeReason } from "./browserLifecycle.js";
import { createHarness, type Harness } from "./testing/createHarness.js";

/** Lets the current attempt's socket appear, then has the server drop it before open. */
async function failBeforeOpen(h: Harness, code = 1006): Promise<void> {
  await h.settle();
  h.latest().serverClose(code);
}

function retryDelays(h: Harness): Array<number | undefined> {
  return h.of("close").map((close) => close.retryInMs);
}

async function waitForRetry(h: Harness): Promise<void> {
  await h.clock.advance(h.of("close").at(-1)?.retryInMs ?? 0);
}

describe("HearthSocket: backoff", () => {
  it("[C-RECON1] keeps retrying within fastMs (1 s) while an outage is short (random = 0.5 -> half the ceiling)", async () => {
    const h = createHarness();
    for (let i = 0; i < 8; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    // The attempt bound alone would be 250, 500, 1000, 2000, 4000, 8000, 15000: a server back
    // after 4 s would wait up to 16 s. The outage bound keeps the ceiling at 1 s for 4 s.
    expect(retryDelays(h)).toEqual([250, 500, 500, 500, 500, 500, 500, 500]);
    expect(h.sockets).toHaveLength(9);
  });

  it("[C-RECON1] a server back after a 3 s outage gets a retry within 1 s (worst-case jitter)", async () => {
    const h = createHarness({ random: () => 0.999 });
    const live = await h.openLatest();
    await h.clock.advance(5_000);
    live.serverClose(1012);
    let down = 0;
    while (down < 3_000) {
      const delay = h.of("close").at(-1)!.retryInMs!;
      expect(delay).toBeLessThan(1_000);
      await h.clock.advance(delay);
      down += delay;
      await failBeforeOpen(h);
    }
    // The server is back: the attempt now waiting opens within a second.
    expect(h.of("close").at(-1)!.retryInMs).toBeLessThan(1_000);
  });

  it("[C-RECON2] a long outage thins out to one try per maxMs, growing with its length", async () => {
    const h = createHarness();
    let down = 0;
    for (let i = 0; i < 60; i++) {
      await failBeforeOpen(h);
      down += h.of("close").at(-1)!.retryInMs!;
      await waitForRetry(h);
    }
    const delays = retryDelays(h) as number[];
    // Never more than a quarter of the time already spent down (past the 1 s window) nor maxMs.
    let spent = 0;
    for (const d of delays) {
      expect(d).toBeLessThanOrEqual(Math.max(1_000, spent / 4));
      expect(d).toBeLessThan(30_000);
      spent += d;
    }
    expect(down).toBeGreaterThan(120_000);
    expect(delays.at(-1)).toBe(15_000); // half of maxMs (random = 0.5): the cap is reached
  });

  it("waits the whole delay before the next attempt", async () => {
    const h = createHarness();
    await failBeforeOpen(h);
    await h.clock.advance(249);
    expect(h.sockets).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.sockets).toHaveLength(2);
  });

  it("keeps jittered delays within [0, ceiling)", async () => {
    const h = createHarness({ random: () => 0.999 });
    for (let i = 0; i < 3; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    expect(retryDelays(h)).toEqual([499, 999, 999]);
  });

  it("honours custom backoff options", async () => {
    const h = createHarness({ backoff: { initialMs: 100, factor: 3, maxMs: 500, jitter: "none" } });
    for (let i = 0; i < 4; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    expect(retryDelays(h)).toEqual([100, 300, 500, 500]);
  });

  it("resets only after a connection stayed up for stableAfterMs", async () => {
    const h = createHarness();
    for (let i = 0; i < 3; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    const socket = await h.openLatest();
    await h.clock.advance(5_000);
    socket.serverClose(1006);
    expect(retryDelays(h)).toEqual([250, 500, 500, 250]);
  });

  it("does not reset when the server closes right after open (no rapid reconnect loop)", async () => {
    const h = createHarness();
    for (let i = 0; i < 4; i++) {
      const socket = await h.openLatest();
      await h.clock.advance(100);
      socket.serverClose(1011);
      await waitForRetry(h);
    }
    // Attempts are not reset (250, 500, ...) and the outage runs from the first loss: past its
    // 4 s fast window the ceiling keeps growing with it, as for a server that stays down.
    for (let i = 0; i < 12; i++) {
      const socket = await h.openLatest();
      await h.clock.advance(100);
      socket.serverClose(1011);
      await waitForRetry(h);
    }
    const delays = retryDelays(h) as number[];
    expect(delays.slice(0, 4)).toEqual([250, 500, 500, 500]);
    expect(delays.at(-1)).toBeGreaterThan(500);
    expect(delays.at(-1)).toBeGreaterThan(delays[8]!);
  });
});

describe("HearthSocket: close codes", () => {
  it.each([1000, 4003, 4004])("close %i is final: no more attempts, state closed, no timers", async (code) => {
    const h = createHarness();
    const socket = await h.openLatest();
    socket.serverClose(code, "bye");
    await h.clock.advance(10 * 60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("closed");
    expect(h.of("close")).toEqual([{ code, reason: "bye", final: true }]);
    expect(h.clock.pendingTimers).toBe(0);
    expect(() => h.client.send({ type: "x" })).toThrow(expect.objectContaining({ code: "CLOSED" }));
  });

  it.each([4008, 4009, 1006, 1001, 1011])("close %i reconnects with backoff", async (code) => {
    const h = createHarness();
    const socket = await h.openLatest();
    socket.serverClose(code);
    expect(h.client.state).toBe("reconnecting");
    expect(h.of("close")[0]).toMatchObject({ code, final: false });
    await waitForRetry(h);
    expect(h.sockets).toHaveLength(2);
  });

  it("never returns instantly after 4008/4009, even when jitter picks 0", async () => {
    const h = createHarness({ random: () => 0 });
    await failBeforeOpen(h, 1006);
    await waitForRetry(h);
    await failBeforeOpen(h, 4009);
    await h.clock.advance(499);
    expect(h.sockets).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.sockets).toHaveLength(3);
    expect(retryDelays(h)).toEqual([0, 500]);
  });

  it("keeps growing after 4008 even if the connection had been up a while", async () => {
    const h = createHarness();
    for (let i = 0; i < 2; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    const socket = await h.openLatest();
    await h.clock.advance(6_000); // past stableAfterMs, inside the dead-socket window
    socket.serverClose(4008);
    expect(retryDelays(h)).toEqual([250, 500, 1000]);
  });

  it("4001 with a static token is final (retrying the same token cannot help)", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    socket.serverClose(4001, "Invalid token");
    await h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.client.state).toBe("closed");
  });

  it("4001 with getToken: exactly one immediate retry with a fresh token, then final", async () => {
    let calls = 0;
    const h = createHarness({ token: undefined, getToken: async () => `t${++calls}` });
    (await h.openLatest()).serverClose(4001, "Invalid token");
    expect(h.of("close")[0]).toEqual({ code: 4001, reason: "Invalid token", final: false, retryInMs: 0 });
    await h.clock.advance(0);
    expect(h.latest().protocols).toEqual(["hearth", "bearer.t2"]);
    (await h.openLatest()).serverClose(4001, "Invalid token");
    await h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(2);
    expect(h.client.state).toBe("closed");
    expect(h.of("close").at(-1)).toEqual({ code: 4001, reason: "Invalid token", final: true });
  });

  it("4001 gets its one retry again after a connection that was stable", async () => {
    const h = createHarness({ token: undefined, getToken: () => "t" });
    (await h.openLatest()).serverClose(4001);
    await h.clock.advance(0);
    const stable = await h.openLatest();
    await h.clock.advance(5_000);
    stable.serverClose(4001);
    await h.clock.advance(0);
    expect(h.sockets).toHaveLength(3);
    expect(h.client.state).not.toBe("closed");
  });
});

describe("HearthSocket: states", () => {
  it("connecting until first live, reconnecting after, live again", async () => {
    const h = createHarness();
    await failBeforeOpen(h);
    expect(h.client.state).toBe("connecting");
    await waitForRetry(h);
    const socket = await h.openLatest();
    socket.serverClose(1006);
    await waitForRetry(h);
    const resumed = await h.openLatest(); // resumes from the snapshot's cursor (0 of "e0")
    expect(h.client.state).toBe("reconnecting");
    resumed.receive({ type: "recovered", recovered: true, seq: 0, epoch: "e0" });
    expect(h.of("state")).toEqual(["live", "reconnecting", "live"]);
  });
});

describe("HearthSocket: close()", () => {
  it("is final: closes the socket, stops timers and lifecycle hooks, later calls are no-ops", async () => {
    let stopped = 0;
    const h = createHarness({ lifecycle: () => () => stopped++ });
    const socket = await h.openLatest();
    h.client.close();
    h.client.close();
    expect(socket.clientClose).toEqual({ code: 1000, reason: "client closed" });
    expect(h.client.state).toBe("closed");
    expect(h.of("state")).toEqual(["live", "closed"]);
    expect(h.of("close")).toEqual([{ code: 1000, reason: "client closed", final: true }]);
    expect(stopped).toBe(1);
    expect(h.clock.pendingTimers).toBe(0);
    socket.serverClose(1006); // the late close event of our own close
    h.client.reconnect();
    h.client.wake("online");
    await h.clock.advance(10 * 60_000);
    expect(h.sockets).toHaveLength(1);
    expect(socket.pings).toBe(0);
  });

  it("cancels a pending retry", async () => {
    const h = createHarness();
    await failBeforeOpen(h);
    h.client.close();
    await h.clock.advance(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it("passes a custom close code to the server", async () => {
    const h = createHarness();
    const socket = await h.openLatest();
    h.client.close(4100, "leaving");
    expect(socket.clientClose).toEqual({ code: 4100, reason: "leaving" });
  });
});

describe("HearthSocket: wake-ups (online, tab visible)", () => {
  it("reconnects at once instead of sitting out the backoff", async () => {
    let wake: (reason: WakeReason) => void = () => {};
    const h = createHarness({ lifecycle: (fn) => ((wake = fn), () => {}) });
    for (let i = 0; i < 6; i++) {
      await failBeforeOpen(h);
      await waitForRetry(h);
    }
    await failBeforeOpen(h); // next retry is 15 s away
    wake("online");
    await h.settle();
    expect(h.sockets).toHaveLength(8);
  });

  it("does nothing while an attempt is already in flight (no second socket)", async () => {
    const h = createHarness();
    await h.settle();
    h.client.wake("visible");
    h.client.wake("online");
    await h.settle();
    expect(h.sockets).toHaveLength(1);
  });
});
