import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FakeSocket } from "../../src/room/testing/fakeHost.ts";
import { outboxPair } from "../../src/room/testing/outboxPair.ts";
import { RoomHarness, settle, user } from "../../src/room/testing/roomHarness.ts";
import { newRoom, publish, stubFor } from "../helpers/rooms.ts";
import { figuresFor, type Figures } from "./figures.ts";
import { runs } from "./scale.ts";

const svc = user("svc", { service: true, scopes: ["events:publish"] });
const received = (h: RoomHarness) => (h.store.state() as { received: { n: number }[] }).received.map((r) => r.n);
const seqsOf = (frames: Record<string, unknown>[]) => frames.map((f) => f.seq).filter((s): s is number => typeof s === "number");

/** Counts gaps and repeats in what one socket saw against what the room committed since it joined. */
function tallySeqs(figures: Figures, seen: number[], from: number, head: number) {
  const want = Array.from({ length: head - from }, (_, i) => from + 1 + i);
  const got = new Set(seen);
  figures.doubled += seen.length - got.size;
  figures.lost += want.filter((s) => !got.has(s)).length;
}

describe("faults", () => {
  it("[FAULT] outbox under chaos: failed deliveries, lost acknowledgements, evictions of either side and repeated alarms lose nothing and apply nothing twice", async (ctx) => {
    const figures = figuresFor(ctx);
    const fault = fc.constantFrom("ok", "fail", "loseAck", "evictSender", "evictReceiver", "alarmTwice");
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { minLength: 1, maxLength: 25 }), async (faults) => {
        const { clock, a, b, deliver } = outboxPair();
        /** Runs one alarm to its end, answering each delivery as it is made (they go one at a time). */
        const alarm = async () => {
          let done = false;
          const run = a.room.alarm().finally(() => (done = true));
          for (let i = 0; i < 1_000 && !done; i++) await deliver("ok");
          await run;
        };
        let n = 0;
        for (const f of faults) {
          figures.cases++;
          a.room.submit(svc, { type: "send", to: "room-b", n: ++n });
          if (f === "evictSender") a.evict();
          else if (f === "evictReceiver") b.evict();
          await deliver(f === "fail" || f === "loseAck" ? f : "ok");
          if (f === "alarmTwice") {
            clock.advance(60_000);
            await alarm();
            await alarm();
          }
        }
        // Then the network heals: the sender's alarm retries until its outbox is empty.
        for (let i = 0; i < 200 && a.store.outbox(1).length > 0; i++) {
          clock.advance(60_000);
          await alarm();
        }
        const got = received(b);
        figures.lost += Array.from({ length: n }, (_, i) => i + 1).filter((k) => !got.includes(k)).length;
        figures.doubled += got.length - new Set(got).size;
        expect(got).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      }),
      { numRuns: runs(30) },
    );
  });

  it("[FAULT] fan-out with sends failing mid-broadcast and evictions between commits: every live socket sees every seq once, in order", async (ctx) => {
    const figures = figuresFor(ctx);
    const op = fc.oneof(
      fc.constant({ op: "publish" as const }),
      fc.record({ op: fc.constant("die" as const), who: fc.nat(5) }),
      fc.constant({ op: "evict" as const }),
      fc.record({ op: fc.constant("join" as const), who: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const h = new RoomHarness().create({}, "room-1");
        const sockets: { ws: FakeSocket; from: number; seen: number[]; alive: boolean }[] = [];
        const join = (i: number) => {
          const ws = h.connect(user(`u${i}-${sockets.length}`));
          sockets.push({ ws, from: h.store.head(), seen: [], alive: true });
        };
        for (let i = 0; i < 3; i++) join(i);
        for (const o of ops) {
          figures.cases++;
          if (o.op === "publish") h.room.submit(svc, { type: "inc" });
          else if (o.op === "evict") h.evict();
          else if (o.op === "join") join(o.who);
          else {
            const s = sockets[o.who % sockets.length]!;
            s.ws.die();
            s.alive = false;
          }
          await settle();
          for (const s of sockets) s.seen.push(...seqsOf(s.ws.take()));
        }
        for (const s of sockets.filter((x) => x.alive)) {
          tallySeqs(figures, s.seen, s.from, h.store.head());
          expect(s.seen).toEqual([...s.seen].sort((x, y) => x - y));
        }
        expect({ lost: figures.lost, doubled: figures.doubled }).toEqual({ lost: 0, doubled: 0 });
      }),
      { numRuns: runs(40) },
    );
  });

  it("[FAULT] a restart mid-burst in workerd: every acknowledged publish is kept once, and retries with the same Idempotency-Key apply nothing twice", async (ctx) => {
    const figures = figuresFor(ctx);
    const roomId = await newRoom();
    const burst = runs(24);
    const keys = Array.from({ length: burst }, (_, n) => `k-${n}-${crypto.randomUUID()}`);
    // Half the burst in flight while the object is evicted under it.
    const first = keys.map((key, n) => publish(roomId, { n }, "svc", { "Idempotency-Key": key }).catch(() => null));
    await evictDurableObject(stubFor(roomId));
    const outcomes = await Promise.all(first);
    // Clients that heard nothing (or an error) retry; some that did retry anyway.
    const retried = await Promise.all(keys.map((key, n) => (outcomes[n]?.status === 200 && n % 2 === 0 ? outcomes[n] : publish(roomId, { n }, "svc", { "Idempotency-Key": key }))));
    figures.cases += burst * 2;
    for (const r of retried) expect(r!.status).toBe(200);
    const seqOf = new Map(retried.map((r, n) => [n, r!.json.seq as number]));
    for (const [n, o] of outcomes.entries()) if (o?.status === 200) expect(o.json.seq, `the retry of ${n} answers its first seq`).toBe(seqOf.get(n));
    // The whole log, read in the object (history pages hold at most 100).
    const frames = await runInDurableObject(stubFor(roomId), (_o, state) => state.storage.sql.exec<{ frame: string }>("SELECT frame FROM log ORDER BY seq").toArray().map((r) => JSON.parse(r.frame) as { type: string; data: { n: number } }));
    const ns = frames.filter((e) => e.type === "publish").map((e) => e.data.n);
    figures.doubled += ns.length - new Set(ns).size;
    figures.lost += keys.filter((_, n) => !ns.includes(n)).length;
    expect({ lost: figures.lost, doubled: figures.doubled }).toEqual({ lost: 0, doubled: 0 });
  });
});
