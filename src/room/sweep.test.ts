import { describe, expect, it } from "vitest";
import { RoomHarness, settle, user } from "./testing/roomHarness.ts";

// The figures' 5 s save would take the alarm first (as in alarm.test.ts).
const noFigures = { metricsFlushMs: 24 * 60 * 60_000 };

describe("the idle sweep of a busy object", () => {
  it("[C2] judges silence as of when the alarm came due, not when a busy object ran it", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { idleTimeoutMs: 40_000 } });
    const quiet = h.connect(user("ann"));
    const pinging = h.connect(user("bob"));
    h.clock.advance(30_000);
    h.send(pinging, { type: "noop" }); // bob's heartbeat at 30 s
    await settle();
    const due = h.host.alarmAt!;
    expect(due).toBeLessThanOrEqual(h.clock.t + 10_001 + 1_000); // ann's deadline, about 40 s
    // The object is busy for 35 s past that: the alarm runs at 75 s. Bob pinged again at 65 s, but
    // that frame waits behind the alarm. As of `due`, bob was silent 10 s, ann 40 s.
    h.clock.t = due + 35_000;
    await h.fireAlarm();
    expect(quiet.closed).toEqual({ code: 4000, reason: "Idle timeout" });
    expect(pinging.closed).toBeNull();
    // Bob's queued ping gets its turn; later sweeps keep him while he keeps pinging.
    h.send(pinging, { type: "noop" });
    h.clock.advance(30_000);
    h.send(pinging, { type: "noop" });
    await settle();
    h.clock.t = h.host.alarmAt!;
    await h.fireAlarm();
    expect(pinging.closed).toBeNull();
  });

  it("[C2] a socket silent past the timeout at the due time is still closed, however late the sweep", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { idleTimeoutMs: 40_000 } });
    const quiet = h.connect(user("ann"));
    await settle();
    h.clock.t = h.host.alarmAt! + 120_000;
    await h.fireAlarm();
    expect(quiet.closed).toEqual({ code: 4000, reason: "Idle timeout" });
  });

  it("[C2] after a wake-up the due time is unknown: the sweep judges as of now, as before", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { idleTimeoutMs: 40_000 } });
    const ws = h.connect(user("bob"));
    h.clock.advance(30_000);
    h.send(ws, { type: "noop" });
    await settle();
    h.evict();
    h.clock.advance(40_001);
    await h.fireAlarm();
    expect(ws.closed).toEqual({ code: 4000, reason: "Idle timeout" });
  });
});
