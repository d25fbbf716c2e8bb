import { describe, expect, it } from "vitest";
import type { Commit } from "./store/RoomStore.ts";
import { RoomHarness, user } from "./testing/roomHarness.ts";

const ann = user("ann");

describe("commit and the stored state", () => {
  it("[P9] an input that leaves the state as it was writes its log entries and outbox, not the state", () => {
    const h = new RoomHarness().create();
    const commits: Commit[] = [];
    const commit = h.store.commit.bind(h.store);
    h.store.commit = (c) => {
      commits.push(c);
      commit(c);
    };
    h.room.submit(ann, { type: "send", to: "room-b", n: 1 });
    expect(commits).toHaveLength(1);
    expect("state" in commits[0]!).toBe(false);
    expect(commits[0]!.outbox).toMatchObject([{ to: "room-b", body: { n: 1 } }]);
    expect(h.store.head()).toBe(1);

    h.room.submit(ann, { type: "inc", by: 2 });
    expect(commits[1]).toMatchObject({ state: { count: 2 } });
    // A fresh Room over the same store reads what was committed.
    h.evict();
    expect(h.room.snapshot(ann)).toMatchObject({ ok: true, seq: 2, state: { count: 2 } });
  });
});
