import { RoomHarness, settle, TestClock } from "./roomHarness.ts";

/** How the network treats one round of deliveries: delivered, refused, or applied with the answer lost. */
export type DeliveryMode = "ok" | "fail" | "loseAck";

/**
 * A sender (`room-a`) and a receiver (`room-b`) fixture room on one clock;
 * the test decides when, and whether, each queued delivery arrives.
 */
export function outboxPair(opts: { createReceiver?: boolean } = {}) {
  const clock = new TestClock();
  const a = new RoomHarness({ clock }).create({}, "room-a");
  const b = new RoomHarness({ clock });
  if (opts.createReceiver !== false) b.create({}, "room-b");
  /** Delivers every queued message to b; `loseAck` applies it but the answer never reaches a. */
  const deliver = async (mode: DeliveryMode = "ok") => {
    await settle();
    const queued = a.host.deliveries.splice(0);
    for (const d of queued) {
      if (mode === "fail") d.reject(new Error("network down"));
      else {
        const ack = b.room.receive(d.envelope);
        if (mode === "ok") d.resolve(ack);
        else d.reject(new Error("connection lost before the answer"));
      }
    }
    await settle();
    return queued.length;
  };
  return { clock, a, b, deliver };
}
