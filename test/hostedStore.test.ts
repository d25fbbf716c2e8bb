import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ensureHostedSchema, dropHostedRoom } from "../src/room/store/hostedSql.ts";
import { roomStoreContract } from "../src/room/store/roomStoreContract.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";

const meta = { roomId: "gw/game:b", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "x" };

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
});
