import { expect } from "vitest";
import type { RoomMeta, RoomStore } from "./RoomStore.ts";

/**
 * One behavioural contract for every RoomStore. Each case gets a fresh,
 * empty store; memoryRoomStore.test.ts and test/sqliteRoomStore.test.ts run
 * all of them.
 */
const meta: RoomMeta = { roomId: "r1", kind: "relay", config: { a: 1 }, epoch: "e1", seed: 7, createdAt: 1000, createdBy: "ann" };
const entry = (seq: number, at = 1000, to: string[] | null = null) => ({ seq, at, frame: `{"n":${seq}}`, to });

export const roomStoreContract: Record<string, (store: RoomStore) => void> = {
  "[P9] a commit without a state keeps the stored one and still writes the rest"(store) {
    store.create(meta, { count: 4 });
    store.commit({ entries: [entry(1)], outbox: [{ to: "b", body: { n: 1 }, at: 10 }], inbox: { from: "x", seq: 1 } });
    expect(store.state()).toEqual({ count: 4 });
    expect(store.head()).toBe(1);
    expect(store.outbox(10)).toMatchObject([{ to: "b", seq: 1 }]);
    store.commit({ state: { count: 5 }, entries: [] });
    expect(store.state()).toEqual({ count: 5 });
    expect(store.head()).toBe(1);
  },
  "[S8] remembers where a receiver its messages created inside another object lives, by the receiver's name"(store) {
    store.create(meta, {});
    expect(store.hostedAt("game:a")).toBeNull();
    store.commit({ entries: [], outbox: [{ to: "lobby:gw:1/game:a", body: { op: "open" }, at: 1 }, { to: "lobby", body: {}, at: 1 }] });
    store.commit({ entries: [], outbox: [{ to: "lobby:gw:1/game:a", body: { op: "cmd" }, at: 2 }] });
    expect(store.hostedAt("game:a")).toBe("lobby:gw:1/game:a");
    expect(store.hostedAt("lobby")).toBeNull();
    expect(store.hostedAt("game:b")).toBeNull();
    store.reset("e2", {});
    expect(store.hostedAt("game:a")).toBe("lobby:gw:1/game:a");
  },
  "keeps the metrics figures apart from commits, across a reset"(store) {
    expect(store.metrics()).toBeNull();
    store.create(meta, {});
    store.saveMetrics('{"a":1}');
    store.saveMetrics('{"a":2}');
    store.commit({ state: { x: 1 }, entries: [entry(1)] });
    store.reset("e2", {});
    expect(store.metrics()).toBe('{"a":2}');
  },
  "starts empty and creates a room at seq 0"(store) {
    expect(store.meta()).toBeNull();
    store.create(meta, { count: 0 });
    expect(store.meta()).toEqual(meta);
    expect(store.state()).toEqual({ count: 0 });
    expect(store.head()).toBe(0);
    expect(store.tail()).toBe(1);
    expect(store.presence()).toEqual([]);
  },
  "[O6] creates a room whose log starts at a given head"(store) {
    store.create(meta, {}, 41);
    expect(store.head()).toBe(41);
    expect(store.tail()).toBe(42);
    store.commit({ state: {}, entries: [entry(42)] });
    expect(store.head()).toBe(42);
    expect(store.entriesAfter(41, 10)).toEqual([entry(42)]);
  },
  "commits state, entries, dedup records and presence together"(store) {
    store.create(meta, { count: 0 });
    store.commit({
      state: { count: 2 },
      entries: [entry(1), entry(2, 1000, ["bob"])],
      idempotency: { key: "k", hash: "h", response: "{}", at: 1000 },
      commandId: { userId: "ann", id: "c1", seq: 2, at: 1000 },
      presence: { add: ["ann", "bob"] },
    });
    expect(store.state()).toEqual({ count: 2 });
    expect(store.head()).toBe(2);
    expect(store.tail()).toBe(1);
    expect(store.entriesAfter(0, 10)).toEqual([entry(1), entry(2, 1000, ["bob"])]);
    expect(store.idempotency("k")).toEqual({ key: "k", hash: "h", response: "{}", at: 1000 });
    expect(store.idempotency("other")).toBeNull();
    expect(store.commandSeq("ann", "c1")).toBe(2);
    expect(store.commandSeq("bob", "c1")).toBeNull();
    expect(store.presence()).toEqual(["ann", "bob"]);
    store.commit({ state: { count: 2 }, entries: [], presence: { remove: ["ann"] } });
    expect(store.presence()).toEqual(["bob"]);
    expect(store.head()).toBe(2);
  },
  "pages forwards and backwards"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [1, 2, 3, 4, 5].map((s) => entry(s)) });
    expect(store.entriesAfter(2, 2).map((e) => e.seq)).toEqual([3, 4]);
    expect(store.entriesAfter(5, 10)).toEqual([]);
    expect(store.entriesBefore(5, 2).map((e) => e.seq)).toEqual([4, 3]);
    expect(store.entriesBefore(1, 10)).toEqual([]);
  },
  "trims by count and by age, keeping head"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [entry(1, 100), entry(2, 100), entry(3, 5000), entry(4, 5000), entry(5, 5000)] });
    store.trim({ now: 6000, maxEntries: 4, maxAgeMs: 10_000, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(2);
    store.trim({ now: 6000, maxEntries: 100, maxAgeMs: 2000, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(3);
    expect(store.head()).toBe(5);
    store.trim({ now: 6000, maxEntries: 100, maxAgeMs: 2000, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(3);
    store.trim({ now: 100_000, maxEntries: 100, maxAgeMs: 1, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(6);
    expect(store.head()).toBe(5);
  },
  "[J1] journals inputs in commit order, on log rows and without them, and cuts them with the log"(store) {
    const rec = (seq: number, h: number, body: unknown) => ({ seq, h, at: 1000, source: "http" as const, actor: { userId: "ann", name: "Ann", role: "member", service: false, scopes: [] }, conn: null, body });
    store.create(meta, {});
    expect(store.journal(100, 100)).toEqual([]);
    expect(store.journalCut()).toBe(0);
    store.commit({ state: { n: 1 }, entries: [entry(1), entry(2)], journal: rec(2, 0, "a") });
    store.commit({ state: { n: 2 }, entries: [], journal: rec(2, 2, "b") });
    store.commit({ state: { n: 3 }, entries: [entry(3)], journal: rec(3, 2, "c") });
    store.commit({ state: { n: 4 }, entries: [], journal: rec(3, 3, "d") });
    store.commit({ state: { n: 5 }, entries: [entry(4)] });
    expect(store.journal(100, 100).map((j) => j.body)).toEqual(["a", "b", "c", "d"]);
    expect(store.journal(2, 100).map((j) => j.body)).toEqual(["a", "b"]);
    expect(store.journal(100, 3).map((j) => j.body)).toEqual(["a", "b", "c"]);
    expect(store.journal(100, 1)[0]).toEqual(rec(2, 0, "a"));
    expect(store.journal(3, 100, 3).map((j) => j.body)).toEqual(["c", "d"]);
    store.trim({ now: 1000, maxEntries: 2, maxAgeMs: 1e9, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(3);
    expect(store.journalCut()).toBe(2);
    expect(store.journal(100, 100).map((j) => j.body)).toEqual(["c", "d"]);
    store.reset("e2", {}, { at: 5000, userId: "bob" });
    expect(store.journal(100, 100)).toEqual([]);
    expect(store.journalCut()).toBe(0);
    expect(store.meta()).toMatchObject({ journal: true, resetAt: 5000, resetBy: "bob" });
  },
  "forgets idempotency keys and command ids after their ttl"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [], idempotency: { key: "old", hash: "h", response: "1", at: 0 }, commandId: { userId: "u", id: "i", seq: 0, at: 0 } });
    store.commit({ state: {}, entries: [], idempotency: { key: "new", hash: "h", response: "2", at: 900 } });
    store.trim({ now: 1000, maxEntries: 10, maxAgeMs: 1e9, dedupTtlMs: 500 });
    expect(store.idempotency("old")).toBeNull();
    expect(store.commandSeq("u", "i")).toBeNull();
    expect(store.idempotency("new")?.response).toBe("2");
  },
  "reset starts a new epoch with an empty log"(store) {
    store.create(meta, { count: 1 });
    store.commit({ state: { count: 9 }, entries: [entry(1), entry(2)], presence: { add: ["ann"] } });
    store.reset("e2", { count: 0 });
    expect(store.meta()?.epoch).toBe("e2");
    expect(store.head()).toBe(0);
    expect(store.tail()).toBe(1);
    expect(store.state()).toEqual({ count: 0 });
    expect(store.entriesAfter(0, 10)).toEqual([]);
    expect(store.presence()).toEqual([]);
  },
  "keeps group audiences apart from user audiences"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [{ ...entry(1), to: ["ann"], groups: ["g:1"] }, entry(2, 1000, ["bob"]), entry(3)] });
    expect(store.entriesAfter(0, 10)).toEqual([{ ...entry(1), to: ["ann"], groups: ["g:1"] }, entry(2, 1000, ["bob"]), entry(3)]);
  },
  "stores the timer with the commit, and clears it on reset"(store) {
    store.create(meta, {});
    expect(store.wakeAt()).toBeNull();
    store.commit({ state: {}, entries: [], wakeAt: 5000 });
    store.commit({ state: {}, entries: [] });
    expect(store.wakeAt()).toBe(5000);
    store.commit({ state: {}, entries: [], wakeAt: null });
    expect(store.wakeAt()).toBeNull();
    store.commit({ state: {}, entries: [], wakeAt: 7000 });
    store.reset("e2", {});
    expect(store.wakeAt()).toBeNull();
  },
  "numbers outbox messages per receiver, keeps them until done, and counts retries"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: { n: 1 }, at: 10 }, { to: "a", body: { n: 2 }, at: 10 }] });
    store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: { n: 3 }, at: 20, create: { kind: "relay", config: {} } }] });
    expect(store.outbox(10).map((m) => [m.to, m.seq, m.body.n])).toEqual([["a", 1, 2], ["b", 1, 1], ["b", 2, 3]]);
    expect(store.outbox(10)[2]).toMatchObject({ create: { kind: "relay", config: {} }, attempts: 0, nextAt: 20 });
    store.outboxRetry("b", 1, 99);
    expect(store.outbox(10)[1]).toMatchObject({ attempts: 1, nextAt: 99 });
    store.outboxDone("b", 1);
    store.outboxDone("a", 1);
    expect(store.outbox(10).map((m) => [m.to, m.seq])).toEqual([["b", 2]]);
    // Numbering never restarts, even after the outbox emptied: receivers dedup by it.
    store.outboxDone("b", 2);
    store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: {}, at: 30 }] });
    expect(store.outbox(10).map((m) => m.seq)).toEqual([3]);
    store.reset("e2", {});
    expect(store.outbox(10).map((m) => m.seq)).toEqual([3]);
  },
  "remembers the last message applied per sender"(store) {
    store.create(meta, {});
    expect(store.inboxSeq("x")).toBe(0);
    store.commit({ state: {}, entries: [], inbox: { from: "x", seq: 4 } });
    expect(store.inboxSeq("x")).toBe(4);
    expect(store.inboxSeq("y")).toBe(0);
  },
  "knows the time of its oldest entry"(store) {
    store.create(meta, {});
    expect(store.oldestAt()).toBeNull();
    store.commit({ state: {}, entries: [entry(1, 300), entry(2, 400)] });
    expect(store.oldestAt()).toBe(300);
  },
  "returns copies, not live references"(store) {
    store.create(meta, { list: [1] });
    const s = store.state() as { list: number[] };
    s.list.push(2);
    expect(store.state()).toEqual({ list: [1] });
  },
  "dedup records outlive the log rows they were committed with (trim), Idempotency-Keys a reset too"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [entry(1, 100)], idempotency: { key: "k1", hash: "h1", response: '{"seq":1}', at: 100 } });
    store.commit({ state: {}, entries: [entry(2, 200), entry(3, 200)], commandId: { userId: "ann", id: "c1", seq: 3, at: 200 } });
    store.commit({ state: {}, entries: [entry(4, 300)] });
    expect(store.idempotency("k1")).toEqual({ key: "k1", hash: "h1", response: '{"seq":1}', at: 100 });
    expect(store.commandSeq("ann", "c1")).toBe(3);
    store.trim({ now: 1000, maxEntries: 1, maxAgeMs: 1e9, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(4);
    expect(store.idempotency("k1")).toEqual({ key: "k1", hash: "h1", response: '{"seq":1}', at: 100 });
    expect(store.commandSeq("ann", "c1")).toBe(3);
    store.commit({ state: {}, entries: [entry(5, 400)], idempotency: { key: "k2", hash: "h2", response: '{"seq":5}', at: 400 } });
    store.commit({ state: {}, entries: [entry(6, 400)], commandId: { userId: "bob", id: "c2", seq: 6, at: 400 } });
    store.reset("e2", {});
    expect(store.idempotency("k2")?.response).toBe('{"seq":5}');
    expect(store.commandSeq("bob", "c2")).toBeNull();
  },
  "forgets dedup records after their ttl while their log rows stay"(store) {
    store.create(meta, {});
    store.commit({ state: {}, entries: [entry(1, 100)], idempotency: { key: "old", hash: "h", response: "1", at: 100 } });
    store.commit({ state: {}, entries: [entry(2, 100)], commandId: { userId: "u", id: "i", seq: 2, at: 100 } });
    store.commit({ state: {}, entries: [entry(3, 900)], idempotency: { key: "new", hash: "h", response: "3", at: 900 } });
    store.trim({ now: 1000, maxEntries: 10, maxAgeMs: 1e9, dedupTtlMs: 500 });
    expect(store.entriesAfter(0, 10).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(store.idempotency("old")).toBeNull();
    expect(store.commandSeq("u", "i")).toBeNull();
    expect(store.idempotency("new")?.response).toBe("3");
  },
  "knows its tail across commits, trims and resets"(store) {
    store.create(meta, {});
    expect(store.tail()).toBe(1);
    store.commit({ state: {}, entries: [], presence: { add: ["a"] } });
    expect(store.tail()).toBe(1);
    store.commit({ state: {}, entries: [entry(1), entry(2)] });
    expect(store.tail()).toBe(1);
    store.commit({ state: {}, entries: [entry(3)] });
    store.trim({ now: 1000, maxEntries: 1, maxAgeMs: 1e9, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(3);
    store.trim({ now: 100_000, maxEntries: 10, maxAgeMs: 1, dedupTtlMs: 1e9 });
    expect(store.tail()).toBe(4);
    store.commit({ state: {}, entries: [entry(4, 100_000)] });
    expect(store.tail()).toBe(4);
    store.reset("e2", {});
    expect(store.tail()).toBe(1);
  },
};
