import { compare } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import { documentChecksum as serverChecksum } from "../../../src/protocol/deltaChecksum.ts";
import { applyJsonPatch } from "./applyJsonPatch.js";
import { documentChecksum } from "./documentChecksum.js";
import { createHarness } from "./testing/createHarness.js";

const option = { field: "structured_data", stream: "campaign_id" };
const doc = (turn: string, hp = 30) => ({ narrative: "At the ford", turn, status: null, characters: [{ id: "c1", hp, tags: ["a/b", "~x"] }], "odd/key~": 1 });
const full = (seq: number, data: unknown) => ({ type: "campaign_updated", campaign_id: "camp-1", structured_data: data, seq, epoch: "e0" });
const deltaOf = (seq: number, base: number, from: unknown, to: unknown, sum = documentChecksum(to)) => ({
  type: "campaign_updated",
  campaign_id: "camp-1",
  delta: { field: "structured_data", base, ops: compare(from as object, to as object), sum },
  seq,
  epoch: "e0",
});

describe("[W1] SDK: the JSON Patch applier and checksum match the server's", () => {
  it("applies the server library's own diffs (escaped pointers, arrays, nulls) and hashes the same", () => {
    const pairs: [unknown, unknown][] = [
      [doc("1"), doc("2", 12)],
      [{ a: [1, 2, 3], b: { c: null } }, { a: [1], b: { c: 0, d: [] }, "x/y": "é" }],
      [{ list: [] }, { list: [{ n: 1 }, { n: 2 }] }],
    ];
    for (const [from, to] of pairs) {
      expect(applyJsonPatch(from, compare(from as object, to as object))).toEqual(to);
      expect(documentChecksum(to)).toBe(serverChecksum(to));
    }
    expect(() => applyJsonPatch({}, [{ op: "move", from: "/a", path: "/b" }])).toThrow(/unsupported/);
    expect(() => applyJsonPatch({}, [{ op: "replace", path: "/missing", value: 1 }])).toThrow(/no member/);
  });
});

describe("[W1] HearthSocket: document deltas", () => {
  it("asks with delta=1 only when given `documents`", async () => {
    expect((await createHarness({ documents: option }).openLatest()).query.get("delta")).toBe("1");
    expect((await createHarness().openLatest()).query.has("delta")).toBe(false);
  });

  it("rebuilds a delta into the full frame listeners see", async () => {
    const h = createHarness({ documents: option });
    const socket = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    socket.receive(full(1, doc("1")));
    socket.receive(deltaOf(2, 1, doc("1"), doc("2", 12)));
    socket.receive({ type: "batch", frames: [deltaOf(3, 2, doc("2", 12), doc("3", 9))] });
    expect(h.of("frame")).toEqual([full(1, doc("1")), full(2, doc("2", 12)), full(3, doc("3", 9))]);
    expect(h.client.position).toEqual({ seq: 3, epoch: "e0" });
    expect(h.of("error")).toEqual([]);
  });

  it("a checksum mismatch or a missing base reports an error and resyncs from the cursor; the replay's full frame lands", async () => {
    const h = createHarness({ documents: option });
    const first = await h.openLatest({ snapshot: { seq: 0, epoch: "e0" } });
    first.receive(full(1, doc("1")));
    first.receive(deltaOf(2, 1, doc("1"), doc("2"), "00000000"));
    expect(h.of("error").map((e) => e.code)).toEqual(["DELTA_CHECKSUM"]);
    expect(h.of("frame")).toEqual([full(1, doc("1"))]);
    await h.settle();
    const second = h.latest();
    expect(second).not.toBe(first);
    expect(second.query.get("since")).toBe("1");
    second.open();
    second.receive(full(2, doc("2")));
    second.receive({ type: "recovered", recovered: true, seq: 2, epoch: "e0" });
    // A delta against a base this client never had: the same path.
    second.receive(deltaOf(3, 99, doc("9"), doc("3")));
    expect(h.of("error").map((e) => e.code)).toEqual(["DELTA_CHECKSUM", "DELTA_NO_BASE"]);
    expect(h.of("frame")).toEqual([full(1, doc("1")), full(2, doc("2"))]);
    await h.settle();
    expect(h.latest().query.get("since")).toBe("2");
  });
});
