import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ensureHostedSchema } from "../src/room/store/hostedSchema.ts";
import { dropHostedRoom } from "../src/room/store/hostedSql.ts";
import { roomStoreContract } from "../src/room/store/roomStoreContract.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";

const meta = { roomId: "gw/game:b", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" };
/** A hosted log as objects made it before stop 41 (hostedSchema.ts rebuilds it). */
const oldLog = (name: string) =>
  `CREATE TABLE ${name} (r INTEGER NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, frame TEXT NOT NULL, audience TEXT, input TEXT, dkey TEXT, dhash TEXT, dval TEXT, PRIMARY KEY (r, seq)) WITHOUT ROWID`;

// [S8] The same contract for a room hosted in another object (its rows in the shared tables), while
// a neighbour hosted in the same object holds data of its own: neither sees nor changes the other's.
describe("a hosted room's store passes the RoomStore contract beside another hosted room", () => {
  for (const [name, check] of Object.entries(roomStoreContract)) {
    it(name, async () => {
      const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
      await runInDurableObject(stub, (_instance, state) => {
        ensureHostedSchema(state.storage.sql);
        const neighbour = new SqliteRoomStore(state.storage, { hostedRoom: 2 });
        neighbour.create(meta, { n: 9 });
        neighbour.commit({ state: { n: 10 }, entries: [{ seq: 1, at: 5, frame: '{"x":1}', to: null }], outbox: [{ to: "lobby", body: { a: 1 }, at: 5 }], presence: { add: ["zed"] }, wakeAt: 99 });
        check(new SqliteRoomStore(state.storage, { hostedRoom: 1 }));
        const again = new SqliteRoomStore(state.storage, { hostedRoom: 2 });
        expect(again.state()).toEqual({ n: 10 });
        expect(again.head()).toBe(1);
        expect(again.entriesAfter(0, 10)).toMatchObject([{ seq: 1, frame: '{"x":1}' }]);
        expect(again.outbox(10)).toMatchObject([{ to: "lobby", seq: 1 }]);
        expect(again.presence()).toEqual(["zed"]);
        expect(again.wakeAt()).toBe(99);
      });
    });
  }

  it("forgets a retired room's rows and nothing else, with no change to the schema", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      ensureHostedSchema(sql);
      const a = new SqliteRoomStore(state.storage, { hostedRoom: 1 });
      const b = new SqliteRoomStore(state.storage, { hostedRoom: 2 });
      for (const s of [a, b]) {
        s.create(meta, { n: 1 });
        s.commit({ state: { n: 2 }, entries: [{ seq: 1, at: 5, frame: "{}", to: null }], commandId: { userId: "u", id: "c", seq: 1, at: 5 } });
      }
      const schema = () => sql.exec("SELECT COUNT(*) AS n FROM sqlite_master").one().n;
      const before = schema();
      dropHostedRoom(sql, 1);
      expect(schema()).toBe(before);
      expect(new SqliteRoomStore(state.storage, { hostedRoom: 1 }).meta()).toBeNull();
      const kept = new SqliteRoomStore(state.storage, { hostedRoom: 2 });
      expect(kept.state()).toEqual({ n: 2 });
      expect(kept.commandSeq("u", "c")).toBe(1);
    });
  });

  // Stop 41: log and room rows moved out of WITHOUT ROWID tables (hostedSchema.ts). An object that
  // made the shared tables before keeps every hosted room's rows, and its log appends after them.
  it("an object whose log and room tables have the old layout keeps every row when they are rebuilt", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("CREATE TABLE hr_room (r INTEGER NOT NULL, id INTEGER NOT NULL, meta TEXT NOT NULL, state TEXT NOT NULL, head INTEGER NOT NULL, PRIMARY KEY (r, id)) WITHOUT ROWID");
      sql.exec(oldLog("hr_log"));
      sql.exec("CREATE INDEX hr_log_dkey ON hr_log (r, dkey) WHERE dkey IS NOT NULL");
      for (const r of [1, 2]) {
        sql.exec("INSERT INTO hr_room VALUES (?, 1, ?, ?, 2)", r, JSON.stringify({ ...meta, roomId: `gw/game:${r}` }), JSON.stringify({ n: r }));
        // Seq 2 first: the rebuilt log is numbered in each room's seq order, not the old rows' order.
        sql.exec("INSERT INTO hr_log (r, seq, at, frame, dkey, dval) VALUES (?, 2, 6, ?, ?, '2')", r, `{"seq":2,"r":${r}}`, "c\u0000u\u0000cmd");
        sql.exec("INSERT INTO hr_log (r, seq, at, frame) VALUES (?, 1, 5, ?)", r, `{"seq":1,"r":${r}}`);
      }
      const layout = () => sql.exec<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE name IN ('hr_room', 'hr_log') ORDER BY name").toArray();
      expect(layout().every((t) => t.sql.includes("WITHOUT ROWID"))).toBe(true);
      // Woken for a room it already hosts, the object runs no rebuild (only creating a room does):
      // the store reads and writes the old layout as it stands.
      const before = new SqliteRoomStore(state.storage, { hostedRoom: 2 });
      expect(before.entriesAfter(0, 10).map((e) => e.seq)).toEqual([1, 2]);
      before.commit({ state: { n: 2 }, entries: [{ seq: 3, at: 7, frame: '{"seq":3,"r":2}', to: null }] });

      ensureHostedSchema(sql);
      expect(layout().map((t) => [t.name, t.sql.includes("WITHOUT ROWID")])).toEqual([["hr_log", false], ["hr_room", false]]);
      expect(sql.exec("SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE '%relaid%'").one().n).toBe(0);
      const indexes = sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hr_log' ORDER BY name").toArray();
      expect(indexes.map((i) => i.name)).toEqual(["hr_log_dkey", "hr_log_seq"]);
      for (const r of [1, 2]) {
        const store = new SqliteRoomStore(state.storage, { hostedRoom: r });
        expect(store.meta()?.roomId).toBe(`gw/game:${r}`);
        expect(store.state()).toEqual({ n: r });
        expect(store.head()).toBe(r === 1 ? 2 : 3);
        expect(store.entriesAfter(0, 10).map((e) => e.frame)).toEqual([`{"seq":1,"r":${r}}`, `{"seq":2,"r":${r}}`, ...(r === 2 ? ['{"seq":3,"r":2}'] : [])]);
        // The dedup record riding on a log row is still found through the rebuilt partial index.
        expect(store.commandSeq("u", "cmd")).toBe(2);
      }
      const one = new SqliteRoomStore(state.storage, { hostedRoom: 1 });
      one.commit({ state: { n: 3 }, entries: [{ seq: 3, at: 7, frame: '{"seq":3}', to: null }] });
      expect(one.entriesAfter(1, 10).map((e) => e.seq)).toEqual([2, 3]);
      // Again: nothing to rebuild, nothing lost.
      ensureHostedSchema(sql);
      expect(new SqliteRoomStore(state.storage, { hostedRoom: 2 }).entriesAfter(0, 10)).toHaveLength(3);
      expect(new SqliteRoomStore(state.storage, { hostedRoom: 1 }).state()).toEqual({ n: 3 });
    });
  });

  // The rebuild is one synchronous step; should it still be cut short after the rename (a storage
  // error mid-way), the next call finishes it from the renamed table, copying no row twice.
  it("a rebuild cut short after the rename is finished by the next call, with every row once", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      // Cut after the copy and before the drop: the new log made, no index on it yet.
      sql.exec("CREATE TABLE hr_log (n INTEGER PRIMARY KEY, r INTEGER NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, frame TEXT NOT NULL, audience TEXT, input TEXT, dkey TEXT, dhash TEXT, dval TEXT)");
      sql.exec("CREATE TABLE hr_room (r INTEGER NOT NULL, id INTEGER NOT NULL, meta TEXT NOT NULL, state TEXT NOT NULL, head INTEGER NOT NULL, PRIMARY KEY (r, id))");
      sql.exec(oldLog("hr_log_relaid"));
      for (const seq of [1, 2, 3]) sql.exec("INSERT INTO hr_log_relaid (r, seq, at, frame) VALUES (1, ?, 5, ?)", seq, `{"seq":${seq}}`);
      // Seq 1 was copied before the cut.
      sql.exec("INSERT INTO hr_log (r, seq, at, frame) VALUES (1, 1, 5, '{\"seq\":1}')");
      sql.exec("INSERT INTO hr_room VALUES (1, 1, ?, '{}', 3)", JSON.stringify(meta));
      ensureHostedSchema(sql);
      expect(new SqliteRoomStore(state.storage, { hostedRoom: 1 }).entriesAfter(0, 10).map((e) => e.frame)).toEqual(['{"seq":1}', '{"seq":2}', '{"seq":3}']);
      expect(sql.exec("SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE '%relaid%'").one().n).toBe(0);
    });
  });
});
