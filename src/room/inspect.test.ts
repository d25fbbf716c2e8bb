import { describe, expect, it } from "vitest";
import { logPage, stateAt } from "./inspect.ts";
import { fixtureKind } from "./testing/fixtureKind.ts";
import { RoomHarness, user } from "./testing/roomHarness.ts";

const ann = user("ann");
const bob = user("bob");

describe("the inspector's log page", () => {
  it("has the input behind every logged frame, whether or not it moved the state; replay still lands on the same state", () => {
    const h = new RoomHarness().create();
    const a = h.connect(ann);
    h.connect(bob);
    h.send(a, { type: "inc", by: 2 }); // moves the state, logs `count`
    h.send(a, { type: "whisper", to: "bob" }); // logs `whisper`, state unchanged (a chat line is like this)
    h.send(a, { type: "noop" }); // logs nothing, changes nothing: not journaled
    const page = logPage(h.store, undefined, 50);
    const bySeq = new Map(page.inputs.map((i) => [i.seq, i]));
    for (const entry of page.entries) expect(bySeq.get(entry.seq), `the input of seq ${entry.seq}`).toBeDefined();
    const whisper = page.entries.find((e) => (e.frame as { type: string }).type === "whisper")!;
    expect(bySeq.get(whisper.seq)).toMatchObject({ source: "socket", actor: { userId: "ann" }, body: { type: "whisper", to: "bob" } });
    expect(page.inputs.filter((i) => (i.body as { type?: string }).type === "noop")).toEqual([]);

    const meta = h.store.meta()!;
    const head = h.store.head();
    const travelled = stateAt({ store: h.store, meta, kind: fixtureKind }, ann, head);
    expect(travelled).toMatchObject({ ok: true, at: head, state: { count: 2, online: ["ann", "bob"] } });
    expect(travelled).toMatchObject({ state: (h.room.snapshot(ann) as { state: unknown }).state });
  });
});
