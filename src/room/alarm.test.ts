import { describe, expect, it } from "vitest";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const MIN = 60_000;
// These tests read the room's own deadlines off the one alarm; the figures' 5 s save (metrics.test.ts) would come first.
const noFigures = { metricsFlushMs: 24 * 60 * MIN };

describe("Room timers", () => {
  it("[T1] a due timer wakes the kind through the pipeline once, even if the alarm fires twice", async () => {
    const h = new RoomHarness(noFigures).create();
    const ws = h.connect(ann);
    h.send(ws, { type: "wake_at", at: h.clock.t + 5_000 });
    expect(h.store.wakeAt()).toBe(h.clock.t + 5_000);
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 5_000);
    h.clock.advance(5_000);
    await h.fireAlarm();
    expect(ws.take()).toMatchObject([{ type: "woke", seq: expect.any(Number) }]);
    // At-least-once: the runtime retries the alarm; the commit consumed the timer, so nothing runs again.
    await h.room.alarm();
    await h.room.alarm();
    expect(ws.take()).toEqual([]);
    expect(h.store.state()).toMatchObject({ wakes: 1 });
    expect(h.store.wakeAt()).toBeNull();
  });

  it("[T1] a timer that is not due does nothing when the alarm fires early", async () => {
    const h = new RoomHarness(noFigures).create();
    h.room.submit(ann, { type: "wake_at", at: h.clock.t + 10_000 });
    await h.room.alarm();
    expect(h.store.state()).toMatchObject({ wakes: 0 });
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 10_000);
  });

  it("[T2] the timer survives eviction: a fresh instance wakes it", async () => {
    const h = new RoomHarness(noFigures).create();
    h.room.submit(ann, { type: "wake_at", at: h.clock.t + 1_000 });
    h.evict();
    h.clock.advance(1_000);
    await h.fireAlarm();
    expect(h.store.state()).toMatchObject({ wakes: 1 });
  });

  it("[T1] null cancels a timer", async () => {
    const h = new RoomHarness(noFigures).create();
    h.room.submit(ann, { type: "wake_at", at: h.clock.t + 1_000 });
    h.room.submit(ann, { type: "wake_at", at: null });
    h.clock.advance(2_000);
    await h.room.alarm();
    expect(h.store.state()).toMatchObject({ wakes: 0 });
  });

  it("[T3] one alarm at the earliest deadline: the kind's timer and a token expiry share it", async () => {
    const h = new RoomHarness(noFigures).create();
    h.connect(ann, {}, { expiresAt: h.clock.t + 3_000 });
    h.room.submit(ann, { type: "wake_at", at: h.clock.t + 9_000 });
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 3_000);
    h.clock.advance(3_000);
    await h.fireAlarm();
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 6_000);
  });
});

describe("Room connections", () => {
  it("[C1] listening is not idling: a socket that never sends stays open for hours and keeps receiving", async () => {
    const h = new RoomHarness(noFigures).create();
    const quiet = h.connect(ann);
    const talker = h.connect(user("bob"));
    quiet.take();
    for (let i = 0; i < 180; i++) {
      h.clock.advance(MIN);
      await h.room.alarm();
      if (i % 30 === 0) h.send(talker, { type: "inc" });
    }
    expect(quiet.closed).toBeNull();
    expect(quiet.take().filter((f) => f.type === "count")).toHaveLength(6);
  });

  it("[C2] a system that asks for an idle timeout closes silent sockets with 4000 and keeps talking ones", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { idleTimeoutMs: 40_000 } });
    const quiet = h.connect(ann);
    const chatty = h.connect(user("bob"));
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 40_001);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(10_000);
      h.send(chatty, { type: "noop" });
      await h.fireAlarm();
    }
    expect(quiet.closed).toEqual({ code: 4000, reason: "Idle timeout" });
    expect(chatty.closed).toBeNull();
  });

  it("[C3] the connection age limit closes older sockets with 4010, at that time", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { maxConnectionAgeMs: 3_600_000 } });
    const old = h.connect(ann);
    h.clock.advance(1_800_000);
    const young = h.connect(user("bob"));
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 1_800_000);
    h.clock.advance(1_800_000);
    await h.fireAlarm();
    expect(old.closed).toEqual({ code: 4010, reason: "Connection age limit reached" });
    expect(young.closed).toBeNull();
    expect(young.take().filter((f) => f.type === "leave")).toMatchObject([{ user: "ann" }]);
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 1_800_000);
  });

  it("[C4] a socket whose token expires is closed with 4001 when it expires, not at a later sweep", async () => {
    const h = new RoomHarness(noFigures).create();
    const ws = h.connect(ann, {}, { expiresAt: h.clock.t + 1_500 });
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 1_500);
    h.clock.advance(1_500);
    await h.fireAlarm();
    expect(ws.closed).toEqual({ code: 4001, reason: "Token expired" });
  });

  it("[L2] age retention runs on the alarm even when nobody is connected", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { logMaxAgeMs: 60_000 } });
    h.room.submit(user("svc", { service: true }), { type: "inc" });
    await h.room.alarm();
    await settle();
    expect(h.host.alarmAt).toBe(h.clock.t + 60_000);
    h.clock.advance(60_001);
    await h.fireAlarm();
    expect(h.store.oldestAt()).toBeNull();
  });
});
