import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { eventually, fixtureRoom, objectNamed, service } from "./helpers/objects.ts";

const received = async (name: string) => ((await objectNamed(name).snapshot(service)) as { state: { received: { n: number }[] } }).state.received.map((r) => r.n);
const pending = (name: string) => runInDurableObject(objectNamed(name), (_i, state) => new SqliteRoomStore(state.storage).outbox(100).length);

/** Drives the sender's alarm until its outbox is empty (deliveries retry on it). */
async function drain(name: string) {
  await eventually(async () => {
    await runDurableObjectAlarm(objectNamed(name));
    expect(await pending(name)).toBe(0);
  });
}

// Objects talking to objects through real Durable Objects, RPC and SQLite (docs/spec.md O1-O5).
describe("outbox between real Durable Objects", () => {
  it("[O1][O5] a message reaches another object after commit, creating it from the message's spec", async () => {
    const a = await fixtureRoom("fx-a");
    const b = `fx-b-${crypto.randomUUID().slice(0, 8)}`;
    await objectNamed(a).submit(service, { type: "send", to: b, n: 1, create: true });
    await eventually(async () => expect(await received(b)).toEqual([1]));
    expect(await pending(a)).toBe(0);
  });

  it("[O2][O4] evicting the sender mid-burst loses nothing and keeps the order", async () => {
    const a = await fixtureRoom("fx-a");
    const b = await fixtureRoom("fx-b");
    for (let n = 1; n <= 8; n++) {
      await objectNamed(a).submit(service, { type: "send", to: b, n });
      if (n % 3 === 0) await evictDurableObject(objectNamed(a));
    }
    await evictDurableObject(objectNamed(a));
    await drain(a);
    await eventually(async () => expect(await received(b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it("[O4] evicting the receiver during deliveries loses nothing and applies nothing twice", async () => {
    const a = await fixtureRoom("fx-a");
    const b = await fixtureRoom("fx-b");
    for (let n = 1; n <= 6; n++) {
      await objectNamed(a).submit(service, { type: "send", to: b, n });
      await evictDurableObject(objectNamed(b));
    }
    await drain(a);
    await eventually(async () => expect(await received(b)).toEqual([1, 2, 3, 4, 5, 6]));
  });

  it("[O3] the same envelope delivered twice (a retry after a lost answer) is applied once", async () => {
    const b = await fixtureRoom("fx-b");
    const envelope = { from: "fx-somewhere", to: b, seq: 1, body: { n: 9 } };
    expect(await objectNamed(b).receive(envelope)).toEqual({ ok: true, duplicate: false });
    await evictDurableObject(objectNamed(b));
    expect(await objectNamed(b).receive(envelope)).toEqual({ ok: true, duplicate: true });
    expect(await received(b)).toEqual([9]);
  });
});

describe("timers in a real Durable Object", () => {
  it("[T1][T2] a timer set before an eviction fires once by itself, and a retried alarm applies nothing", async () => {
    const a = await fixtureRoom("fx-t");
    await objectNamed(a).submit(service, { type: "wake_at", at: Date.now() + 300 });
    await evictDurableObject(objectNamed(a));
    const wakes = async () => ((await objectNamed(a).snapshot(service)) as { state: { wakes: number } }).state.wakes;
    await eventually(async () => expect(await wakes()).toBe(1));
    await runDurableObjectAlarm(objectNamed(a));
    await runInDurableObject(objectNamed(a), async (instance) => {
      await (instance as unknown as { alarm(): Promise<void> }).alarm();
    });
    expect(await wakes()).toBe(1);
  });
});
