import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { logPage } from "../src/room/inspect.ts";
import type { JournalRecord, RoomStore } from "../src/room/store/RoomStore.ts";
import { MemoryRoomStore } from "../src/room/store/memoryRoomStore.ts";
import { SqliteRoomStore } from "../src/room/store/sqliteRoomStore.ts";

const actor = { userId: "ann", name: "ann", role: "member", service: false, scopes: [] };
const rec = (seq: number, h: number, n: number): JournalRecord => ({ seq, h, at: 0, source: "socket", actor, conn: null, body: { n } });
const entry = (seq: number) => ({ seq, at: 0, frame: `{"n":${seq}}`, to: null });

/** Three inputs that log three frames each (1-3, 4-6, 7-9), then one that logs nothing at 9. */
function fill(store: RoomStore): void {
  store.create({ roomId: "r", kind: "relay", config: {}, epoch: "e", seed: 1, createdAt: 0, createdBy: "ann", journal: true }, {});
  for (const n of [0, 1, 2]) store.commit({ state: { n }, entries: [1, 2, 3].map((k) => entry(3 * n + k)), journal: rec(3 * n + 3, 3 * n, n) });
  store.commit({ state: { n: 3 }, entries: [], journal: rec(9, 9, 3) });
}

const inputsOf = (store: RoomStore, before: number | undefined, limit: number) => logPage(store, before, limit).inputs.map((i) => (i.body as { n: number }).n);

const check = (store: RoomStore) => {
  fill(store);
  // Entries 8..5: the inputs behind 4-6 and 7-9 both reach into the page, though neither starts and ends in it.
  expect(logPage(store, 9, 4).entries.map((e) => e.seq)).toEqual([8, 7, 6, 5]);
  expect(inputsOf(store, 9, 4)).toEqual([1, 2]);
  // Entries 9..8: the input behind 7-9, and the one at 9 that logged nothing.
  expect(inputsOf(store, undefined, 2)).toEqual([2, 3]);
  // Entry 1 alone: the input that logged 1-3.
  expect(inputsOf(store, 2, 1)).toEqual([0]);
};

// The inspector shows, beside each log entry, the input that logged it (src/room/inspect.ts logPage).
describe("the inspector's log page finds the input behind every entry at a page's edges", () => {
  it("in the memory store", () => check(new MemoryRoomStore()));
  it("in Durable Object SQLite", async () => {
    const stub = env.ROOMS.get(env.ROOMS.newUniqueId());
    await runInDurableObject(stub, (_i, state) => check(new SqliteRoomStore(state.storage)));
  });
});
