import { describe, expect, it } from "vitest";
import { fixtureKind, fixtureSystem, type FixtureState } from "../../room/testing/fixtureKind.ts";
import { kindSession, testActor, testRoom } from "./index.ts";

// The harness @hearth/server/testing ships (examples/starter's tests use it from the tarball),
// checked here against the core's fixture kind so a change to the room shows up in this repo too.
const ann = testActor("ann");

describe("kindSession", () => {
  it("validates, authorizes and applies like the core, keeping only accepted states", () => {
    const s = kindSession<FixtureState>(fixtureKind, { config: { label: "x" } });
    expect(s.accepted(ann, { type: "inc", by: 2 }).result).toEqual({ count: 2 });
    expect(s.rejected(ann, { type: "inc", by: "two" }, "BAD_COMMAND").details).toEqual([{ path: "by", message: expect.any(String) }]);
    expect(s.rejected(ann, { type: "refuse" }, "NOT_ALLOWED").status).toBe(403);
    expect(s.state.count).toBe(2);
    expect(Object.isFrozen(s.state)).toBe(true);
    expect(s.view(ann)).toMatchObject({ count: 2, label: "x" });
    expect(() => s.accepted(ann, { type: "refuse" })).toThrow(/NOT_ALLOWED/);
    expect(() => s.rejected(ann, { type: "noop" })).toThrow(/accepted/);
  });

  it("runs the presence and wake hooks against the session's clock", () => {
    const s = kindSession<FixtureState>(fixtureKind, { now: 5_000 });
    expect(s.presence("join", ann)).toMatchObject({ ok: true, emits: [{ body: { type: "join", user: "ann", at: 5_000 } }] });
    s.tick(1_000);
    expect(s.wake()).toMatchObject({ ok: true, emits: [{ body: { type: "woke", at: 6_000 } }] });
    expect(s.state.wakes).toBe(1);
  });
});

describe("testRoom", () => {
  it("runs a kind in a real Room: sockets, HTTP submits, timers and eviction", async () => {
    const room = testRoom({ systems: [fixtureSystem] }).create({ label: "t" });
    const a = room.connect(ann);
    // The fixture logs its presence join (seq 1), so the snapshot is at 1.
    expect(a.take()[0]).toMatchObject({ type: "snapshot", seq: 1, state: { count: 0, label: "t" } });
    expect(a.send({ type: "inc", by: 3, id: "c1" })).toEqual([
      expect.objectContaining({ type: "count", count: 3, seq: 2 }),
      expect.objectContaining({ type: "ack", id: "c1", seq: 2 }),
    ]);
    expect(room.submit(ann, { type: "inc", by: 1 })).toMatchObject({ ok: true, seq: 3, result: { count: 4 } });
    expect(a.take()).toEqual([expect.objectContaining({ type: "count", count: 4, seq: 3 })]);

    room.submit(ann, { type: "wake_at", at: room.now + 1_000 });
    expect(await room.fireAlarm()).toBe(false);
    room.advance(1_000);
    expect(await room.fireAlarm()).toBe(true);
    expect(a.take()).toEqual([expect.objectContaining({ type: "woke" })]);

    room.evict();
    expect(room.snapshot(ann)).toMatchObject({ ok: true, state: { count: 4, wakes: 1 } });
    expect(room.history(ann, { limit: 1 })).toMatchObject({ ok: true, entries: [{ type: "woke" }] });
    a.close();
    expect(() => room.connect(testActor("banned"))).toThrow(/BANNED/);
  });
});
