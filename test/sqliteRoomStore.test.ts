import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { changedKeys, keyedFrom, KeyedRecord, withEntries } from "../src/core/keyedRecord.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { roomStoreContract } from "../src/room/store/roomStoreContract.ts";

/** The object's storage with the text of every SQL statement it runs recorded, in order. */
function recorded(storage: DurableObjectStorage): { storage: DurableObjectStorage; statements: string[] } {
  const statements: string[] = [];
  const sql = storage.sql;
  const counted = new Proxy(storage, {
    get(target, key) {
      if (key === "sql") return { exec: (q: string, ...a: SqlStorageValue[]) => (statements.push(q), sql.exec(q, ...a)), get databaseSize() { return sql.databaseSize; } };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === "function" ? (v as (...x: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { storage: counted, statements };
}

// The same contract, against real Durable Object SQLite (a fresh object per case).
describe("SqliteRoomStore passes the RoomStore contract", () => {
  for (const [name, check] of Object.entries(roomStoreContract)) {
    it(name, async () => {
      const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
      await runInDurableObject(stub, (_instance, state) => check(new SqliteRoomStore(state.storage)));
    });
  }
  it("keeps what it committed across a fresh store instance (cached head and meta are only caches)", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => {
      const a = new SqliteRoomStore(state.storage);
      a.create({ roomId: "r", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" }, { n: 0 });
      a.commit({ state: { n: 1 }, entries: [{ seq: 1, at: 0, frame: "{}", to: null }] });
      const b = new SqliteRoomStore(state.storage);
      if (b.head() !== 1 || JSON.stringify(b.state()) !== '{"n":1}' || b.meta()?.epoch !== "e") throw new Error("not persisted");
    });
  });
  // Issue 26: an event's dedup record rides on its log row (no row of its own), and a connect's
  // catch-up reads the log's tail from a cache, not with a query each time.
  it("writes an event with its Idempotency-Key or command id as one log row plus the head, and caches the tail", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => {
      const { storage: counted, statements } = recorded(state.storage);
      const store = new SqliteRoomStore(counted);
      store.create({ roomId: "r", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" }, { n: 0 });
      const writes = () => statements.splice(0).filter((q) => !/^\s*SELECT/i.test(q));
      writes();
      store.commit({ state: { n: 1 }, entries: [{ seq: 1, at: 5, frame: "{}", to: null }], idempotency: { key: "k", hash: "h", response: "{}", at: 5 } });
      expect(writes()).toEqual([expect.stringMatching(/^INSERT INTO log/), expect.stringMatching(/^UPDATE room/)]);
      store.commit({ state: { n: 2 }, entries: [{ seq: 2, at: 6, frame: "{}", to: null }], commandId: { userId: "u", id: "c", seq: 2, at: 6 } });
      expect(writes()).toEqual([expect.stringMatching(/^INSERT INTO log/), expect.stringMatching(/^UPDATE room/)]);
      expect(store.idempotency("k")?.hash).toBe("h");
      expect(store.commandSeq("u", "c")).toBe(2);
      statements.length = 0;
      expect([store.tail(), store.tail(), store.tail()]).toEqual([1, 1, 1]);
      expect(statements.filter((q) => q.includes("MIN(seq)")).length).toBeLessThanOrEqual(1);
      const fresh = new SqliteRoomStore(state.storage);
      expect(fresh.idempotency("k")?.response).toBe("{}");
      expect(fresh.tail()).toBe(1);
    });
  });
  // [P10] A kind's keyed fields are stored one row per key: one changed entry of a thousand is one row.
  it("[P10] writes only the changed entries of a keyed field, reads the state back whole, and splits a state saved before", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => {
      const statements: { q: string; args: SqlStorageValue[] }[] = [];
      const sql = state.storage.sql;
      const counted = new Proxy(state.storage, {
        get(target, key) {
          if (key === "sql") return { exec: (q: string, ...a: SqlStorageValue[]) => (statements.push({ q, args: a }), sql.exec(q, ...a)), get databaseSize() { return sql.databaseSize; } };
          const v = Reflect.get(target, key) as unknown;
          return typeof v === "function" ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        },
      });
      const meta = { roomId: "r", kind: "lobbyish", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" };
      // Saved by a store that didn't key the field (as before [P10]): one JSON value.
      const rooms: Record<string, { n: number }> = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`room_${i}`, { n: i }]));
      new SqliteRoomStore(state.storage).create(meta, { rooms, pushAt: null });
      const keyed = { keyedFields: (kind: string) => (kind === "lobbyish" ? ["rooms"] : []) };
      const store = new SqliteRoomStore(counted, keyed);
      const read = store.state() as { rooms: typeof rooms; pushAt: null };
      expect(read).toEqual({ rooms, pushAt: null });
      const writes = () => statements.splice(0).filter((s) => !/^\s*SELECT/i.test(s.q));
      writes();
      // The first commit splits it: every entry becomes a row.
      const s1 = { ...read, rooms: { ...read.rooms, room_5: { n: -5 } } as typeof rooms };
      store.commit({ state: s1, entries: [] });
      expect(writes().filter((s) => s.q.startsWith("INSERT OR REPLACE INTO state_keyed")).length).toBe(1000);
      // Then one changed entry is one row, and the rest of the state isn't rewritten.
      const { room_7: _gone, ...others } = s1.rooms;
      const s2 = { ...s1, rooms: { ...others, room_5: { n: 55 } } };
      store.commit({ state: s2, entries: [{ seq: 1, at: 0, frame: "{}", to: null }] });
      const w = writes();
      expect(w.map((s) => s.q.split(" (")[0])).toEqual([
        "INSERT INTO log",
        "DELETE FROM state_keyed WHERE field = ? AND key = ?",
        "INSERT OR REPLACE INTO state_keyed",
        "UPDATE room SET head = ? WHERE id = 1",
      ]);
      expect(w[2]!.args).toEqual(["rooms", "room_5", '{"n":55}']);
      // A fresh instance (the object woke up) reads the same state (its keyed field as a KeyedRecord, whose JSON is the record).
      const again = new SqliteRoomStore(state.storage, keyed);
      const woke = again.state() as { rooms: unknown };
      expect(woke.rooms).toBeInstanceOf(KeyedRecord);
      expect(JSON.parse(JSON.stringify(woke))).toEqual(s2);
      expect(again.head()).toBe(1);
      // A reset writes the kind's fresh state and drops the old rows.
      again.reset("e2", { rooms: { only: { n: 1 } }, pushAt: 3 });
      expect(JSON.parse(JSON.stringify(new SqliteRoomStore(state.storage, keyed).state()))).toEqual({ rooms: { only: { n: 1 } }, pushAt: 3 });
      expect(sql.exec("SELECT COUNT(*) AS c FROM state_keyed").one().c).toBe(1);
    });
  });
  // [P10] A record remembers the one it was made from, so its changes are known; kept past its commit,
  // that memory held every version a lobby ever made of its rooms (153 MB at 1,000 games, stop 42).
  it("[P10] a committed keyed record is the next diff's base and forgets the versions before it; a failed commit keeps them", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => {
      const { storage: counted, statements } = recorded(state.storage);
      const store = new SqliteRoomStore(counted, { keyedFields: () => ["rooms"] });
      const r0 = keyedFrom(Array.from({ length: 100 }, (_, i) => [`r${i}`, { n: i }] as const));
      store.create({ roomId: "r", kind: "lobbyish", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" }, { rooms: r0 });
      const r1 = withEntries(r0, [["r1", { n: -1 }]]);
      const r2 = withEntries(r1, [["r2", { n: -2 }]]);
      store.commit({ state: { rooms: r2 }, entries: [] });
      expect(changedKeys(r2, r0)).toBeNull();
      expect(changedKeys(r2, r1)).toBeNull();
      // The next commit still writes only what changed since r2.
      const r3 = withEntries(r2, [["r3", { n: -3 }]]);
      expect([...changedKeys(r3, r2)!]).toEqual(["r3"]);
      statements.length = 0;
      store.commit({ state: { rooms: r3 }, entries: [{ seq: 1, at: 1, frame: "{}", to: null }] });
      expect(statements.filter((q) => q.startsWith("INSERT OR REPLACE INTO state_keyed"))).toHaveLength(1);
      // A commit that fails (its log seq is taken) stores nothing, so r4 keeps its line back to r3.
      const r4 = withEntries(r3, [["r4", { n: -4 }]]);
      const r5 = withEntries(r4, [["r5", { n: -5 }]]);
      expect(() => store.commit({ state: { rooms: r5 }, entries: [{ seq: 1, at: 2, frame: "{}", to: null }] })).toThrow();
      expect([...changedKeys(r5, r3)!].sort()).toEqual(["r4", "r5"]);
      statements.length = 0;
      store.commit({ state: { rooms: r5 }, entries: [] });
      expect(statements.filter((q) => q.startsWith("INSERT OR REPLACE INTO state_keyed"))).toHaveLength(2);
      expect(JSON.parse(JSON.stringify(new SqliteRoomStore(state.storage, { keyedFields: () => ["rooms"] }).state()))).toEqual(JSON.parse(JSON.stringify({ rooms: r5 })));
    });
  });
  // [O6] The outbox, its numbering and the dedup marks are read once, then answered from memory.
  it("[O6] numbers, dedups and lists messages without reading rows it wrote, and a rolled-back commit leaves that memory as it was", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => {
      const { storage: counted, statements } = recorded(state.storage);
      const store = new SqliteRoomStore(counted);
      store.create({ roomId: "r", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" }, {});
      const reads = () => statements.splice(0).filter((q) => /^\s*SELECT/i.test(q) && /outbox|peers|inbox/.test(q));
      // First use reads each once: the outbox (empty), a receiver's numbering, a sender's mark.
      expect(store.outbox(100)).toEqual([]);
      store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: { n: 1 }, at: 1 }], inbox: { from: "x", seq: 1 } });
      expect(reads().length).toBe(2);
      for (let n = 2; n <= 5; n++) {
        expect(store.inboxSeq("x")).toBe(n - 1);
        store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: { n }, at: n }], inbox: { from: "x", seq: n } });
        expect(store.outbox(100).map((m) => [m.to, m.seq, m.body.n])).toEqual(Array.from({ length: n }, (_, k) => ["b", k + 1, k + 1]));
      }
      store.outboxRetry("b", 1, 99);
      store.outboxDone("b", 2);
      expect(store.outbox(100).map((m) => [m.seq, m.attempts, m.nextAt])).toEqual([[1, 1, 99], [3, 0, 3], [4, 0, 4], [5, 0, 5]]);
      expect(reads()).toEqual([]);
      // A commit whose transaction fails (its log seq is taken) numbers nothing and marks nothing.
      store.commit({ state: {}, entries: [{ seq: 1, at: 6, frame: "{}", to: null }] });
      expect(() => store.commit({ state: {}, entries: [{ seq: 1, at: 7, frame: "{}", to: null }], outbox: [{ to: "b", body: { n: 6 }, at: 7 }], inbox: { from: "x", seq: 6 } })).toThrow();
      expect(store.inboxSeq("x")).toBe(5);
      store.commit({ state: {}, entries: [], outbox: [{ to: "b", body: { n: 7 }, at: 8 }] });
      expect(store.outbox(100).map((m) => m.seq)).toEqual([1, 3, 4, 5, 6]);
      // What memory says is what the rows say: a fresh store (the object woke) reads the same.
      const fresh = new SqliteRoomStore(state.storage);
      expect(fresh.outbox(100)).toEqual(store.outbox(100));
      expect(fresh.inboxSeq("x")).toBe(5);
      fresh.commit({ state: {}, entries: [], outbox: [{ to: "b", body: {}, at: 9 }] });
      expect(fresh.outbox(100).at(-1)?.seq).toBe(7);
    });
  });
});
