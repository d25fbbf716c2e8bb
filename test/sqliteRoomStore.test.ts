import { env, runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
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
});
