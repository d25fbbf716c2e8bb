import { describe, expect, it } from "vitest";
import type { Attachment } from "./connections.ts";
import type { FakeSocket } from "./testing/fakeHost.ts";
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

  it("[S3] a socket whose gateway keeps its idle rule is never idled here, and never wakes the room", async () => {
    const h = new RoomHarness(noFigures).create({ limits: { idleTimeoutMs: 40_000 } });
    h.host.idlesHereOf = (ws) => ((ws as FakeSocket).deserializeAttachment() as Attachment | null)?.actor.userId !== "ann";
    const far = h.connect(user("ann"));
    const near = h.connect(user("bob"));
    await settle();
    // The alarm is bob's idle deadline, about 40 s away.
    expect(h.host.alarmAt).toBeLessThanOrEqual(h.clock.t + 40_001 + 1_000);
    h.clock.t = h.host.alarmAt!;
    await h.fireAlarm();
    expect(near.closed).toEqual({ code: 4000, reason: "Idle timeout" });
    expect(far.closed).toBeNull();
    // Ann alone is no reason to wake: no alarm by her idle time (what is left is the log's retention).
    expect(h.host.alarmAt ?? Infinity).toBeGreaterThan(h.clock.t + 40_001 + 1_000);
    h.clock.advance(10 * 60_000);
    await h.fireAlarm();
    expect(far.closed).toBeNull();
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
