import { describe, expect, it } from "vitest";
import { retryDelay } from "./outbox.ts";
import { outboxPair } from "./testing/outboxPair.ts";
import { quietLog, RoomHarness, settle, user } from "./testing/roomHarness.ts";

const ann = user("ann");

const pair = outboxPair;

const received = (h: RoomHarness) => (h.store.state() as { received: { n: number }[] }).received.map((r) => r.n);

describe("Room outbox (objects talking to objects)", () => {
  it("[O1] an effect is stored by the commit that caused it, and delivered after it", async () => {
    const { a, b, deliver } = pair();
    a.room.submit(ann, { type: "send", to: "room-b", n: 1 });
    expect(a.store.outbox(10)).toMatchObject([{ to: "room-b", seq: 1, body: { n: 1 } }]);
    expect(await deliver()).toBe(1);
    expect(received(b)).toEqual([1]);
    expect(a.store.outbox(10)).toEqual([]);
  });

  it("[O2] per receiver in commit order; a failure waits for the alarm with backoff and keeps the order", async () => {
    const { a, b, clock, deliver } = pair();
    a.room.submit(ann, { type: "send", to: "room-b", n: 1 });
    a.room.submit(ann, { type: "send", to: "room-b", n: 2 });
    await deliver("fail");
    expect(a.store.outbox(10).map((m) => [m.seq, m.attempts])).toEqual([[1, 1], [2, 0]]);
    await settle();
    expect(a.host.alarmAt).toBe(clock.t + retryDelay(0));
    clock.advance(retryDelay(0));
    const run = a.fireAlarm();
    await settle();
    // Sequential per receiver: 2 waits for 1's answer.
    expect(a.host.deliveries.map((d) => d.envelope.seq)).toEqual([1]);
    await deliver();
    await deliver();
    await run;
    expect(received(b)).toEqual([1, 2]);
    expect(a.store.outbox(10)).toEqual([]);
  });

  it("[O3] a retry after a lost acknowledgement applies nothing twice", async () => {
    const { a, b, clock, deliver } = pair();
    a.room.submit(ann, { type: "send", to: "room-b", n: 7 });
    await deliver("loseAck");
    expect(received(b)).toEqual([7]);
    // The sender never heard back: it is evicted and retries on its next alarm.
    a.evict();
    clock.advance(60_000);
    const run = a.room.alarm();
    await deliver();
    await run;
    expect(received(b)).toEqual([7]);
    expect(a.store.outbox(10)).toEqual([]);
  });

  it("[O4] nothing is lost when the sender is evicted before delivering, or the receiver during it", async () => {
    const { a, b, clock, deliver } = pair();
    a.room.submit(ann, { type: "send", to: "room-b", n: 1 });
    // The sender dies with the delivery in flight: its promise never settles.
    await settle();
    a.host.deliveries.splice(0);
    a.evict();
    b.evict();
    clock.advance(1);
    const run = a.room.alarm();
    await deliver();
    await run;
    a.room.submit(ann, { type: "send", to: "room-b", n: 2 });
    b.evict();
    await deliver();
    expect(received(b)).toEqual([1, 2]);
    expect(a.store.outbox(10)).toEqual([]);
  });

  it("[O5] a receiver that does not exist is created from the message's create spec", async () => {
    const { a, b, deliver } = pair({ createReceiver: false });
    a.room.submit(ann, { type: "send", to: "room-b", n: 3, create: true });
    await deliver();
    expect(b.store.meta()).toMatchObject({ roomId: "room-b", kind: "fixture", config: { label: "made" } });
    expect(received(b)).toEqual([3]);
  });

  it("[O5] without a create spec an unknown receiver is a dead letter: logged and dropped", async () => {
    const { a, deliver } = pair({ createReceiver: false });
    a.room.submit(ann, { type: "send", to: "room-b", n: 4 });
    await deliver();
    expect(a.store.outbox(10)).toEqual([]);
    expect(quietLog.lines.some((l) => l.event === "outbox_dead_letter" && l.fields?.code === "ROOM_NOT_FOUND")).toBe(true);
  });

  it("[O3] the receiver's frames carry its own seqs, and each message reaches its sockets once", async () => {
    const { a, b, clock, deliver } = pair();
    const watcher = b.connect(user("bob"));
    a.room.submit(ann, { type: "send", to: "room-b", n: 1 });
    await deliver("loseAck");
    clock.advance(60_000);
    const run = a.room.alarm();
    await deliver();
    await run;
    expect(watcher.take().filter((f) => f.type === "got")).toMatchObject([{ n: 1, from: "room-a", seq: b.store.head() }]);
  });
});
