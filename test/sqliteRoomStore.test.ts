import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";
import { roomStoreContract } from "../src/room/store/roomStoreContract.ts";

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
      const statements: string[] = [];
      const sql = state.storage.sql;
      const counted = new Proxy(state.storage, {
        get(target, key) {
          if (key === "sql") return { exec: (q: string, ...a: SqlStorageValue[]) => (statements.push(q), sql.exec(q, ...a)), get databaseSize() { return sql.databaseSize; } };
          const v = Reflect.get(target, key) as unknown;
          return typeof v === "function" ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        },
      });
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
});
