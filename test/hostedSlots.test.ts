import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { systemRegistry } from "../src/core/system.ts";
import { HostedRooms } from "../src/room/hosted/hostedRooms.ts";
import { HOSTED_UNLOAD_MS, HostedSlots } from "../src/room/hosted/hostedSlots.ts";
import type { Envelope } from "../src/room/RoomHost.ts";
import { fixtureSystem } from "../src/room/testing/fixtureKind.ts";
import { quietLog, TestClock, user } from "../src/room/testing/roomHarness.ts";
import { eventually } from "./helpers/objects.ts";

const ann = user("ann");

/** A gateway's hosted rooms over a real object's SQLite, on a clock the test moves; the messages they send are recorded. */
function hostedIn(storage: DurableObjectStorage, clock: TestClock) {
  const delivered: { to: string; envelope: Envelope }[] = [];
  const slots = new HostedSlots({
    object: "gw",
    registry: new HostedRooms(storage.sql),
    common: {
      storage,
      systems: systemRegistry([fixtureSystem]),
      deliver: async (to, envelope) => {
        delivered.push({ to, envelope });
        // Never acknowledged: the message stays in the room's outbox.
        return { ok: false, retry: true, code: "UNAVAILABLE", message: "not now" };
      },
      push: async () => ({ ok: true }),
      keepAlive: () => {},
      wait: async () => {},
    },
    keyedFields: () => [],
    alarmBy: async () => {},
    keepAlive: () => {},
    transaction: (fn) => storage.transactionSync(fn),
    now: clock.now,
    log: quietLog,
  });
  const make = (name: string) => {
    const slot = slots.slot(name, true)!;
    const made = slot.room.create({ roomId: name, kind: "fixture", config: {}, createdBy: "test" });
    if (!made.ok) throw new Error(`create: ${made.code}`);
    return slot;
  };
  return { slots, make, delivered };
}

describe("[S8] a gateway's idle hosted rooms leave memory, not storage", () => {
  it("a room nobody asked for in HOSTED_UNLOAD_MS is let go; the next input re-reads it and numbers on", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, async (_instance, state) => {
      const clock = new TestClock();
      const { slots, make } = hostedIn(state.storage, clock);
      const first = make("gw/a");
      const sent = first.room.submit(ann, { type: "inc", by: 2 });
      expect(sent).toMatchObject({ ok: true });
      const seq = (sent as { seq: number }).seq;
      make("gw/b");
      expect(slots.loaded()).toBe(2);

      // Just short of the time: kept (the alarm saves "a"'s figures, and that counts as a use).
      clock.advance(HOSTED_UNLOAD_MS - 1);
      await slots.alarm();
      expect(slots.loaded()).toBe(2);

      // A full HOSTED_UNLOAD_MS after each one's last use (its figures' save by the alarm is one): both let go.
      for (let i = 0; i < 3 && slots.loaded() > 0; i++) {
        clock.advance(HOSTED_UNLOAD_MS);
        await slots.alarm();
      }
      expect(slots.loaded()).toBe(0);

      // The next input assembles it again over the same rows, and the log numbers on.
      const again = slots.slot("gw/a")!;
      expect(again).not.toBe(first);
      expect(again.room.snapshot(ann)).toMatchObject({ ok: true, seq });
      expect(again.room.submit(ann, { type: "inc", by: 1 })).toMatchObject({ ok: true, seq: seq + 1 });
      expect(slots.loaded()).toBe(1);
    });
  });

  it("a room with a message still to deliver stays in memory; one with a timer goes, and its timer still runs", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, async (_instance, state) => {
      const clock = new TestClock();
      const { slots, make, delivered } = hostedIn(state.storage, clock);
      const sending = make("gw/sending");
      expect(sending.room.submit(ann, { type: "send", to: "elsewhere", n: 1 })).toMatchObject({ ok: true });
      await eventually(async () => expect(delivered.length).toBeGreaterThan(0));
      const timed = make("gw/timed");
      const wakeAt = clock.t + 10 * HOSTED_UNLOAD_MS;
      expect(timed.room.submit(ann, { type: "wake_at", at: wakeAt })).toMatchObject({ ok: true });
      for (let i = 0; i < 4; i++) {
        clock.advance(HOSTED_UNLOAD_MS);
        await slots.alarm();
      }
      // The receiver never acknowledged: that room keeps its memory (its delivery is retried from it).
      expect(slots.loaded()).toBe(1);
      expect(slots.slot("gw/sending")).toBe(sending);
      // The timer was a row all along: when it is due, the alarm assembles the room and runs it.
      clock.t = wakeAt;
      await slots.alarm();
      const again = slots.slot("gw/timed")!;
      expect(again).not.toBe(timed);
      expect(again.room.snapshot(ann)).toMatchObject({ ok: true, state: { wakes: 1 } });
    });
  });
});
