import { describe, expect, it } from "vitest";
import { entryOf, KeyedRecord, withEntries, type Keyed } from "../../core/keyedRecord.ts";
import { joinState, KEYED, splitState } from "./keyedState.ts";

const FIELDS = ["rooms", "seats"];
/** Rows as a store would hold them, per field. */
function apply(db: Map<string, Map<string, string>>, rows: ReturnType<typeof splitState>["rows"]) {
  for (const { field, clear, put, drop } of rows) {
    const t = clear ? new Map<string, string>() : (db.get(field) ?? new Map<string, string>());
    for (const k of drop) t.delete(k);
    for (const [k, v] of put) t.set(k, v);
    db.set(field, t);
  }
}

describe("[P10] keyed state", () => {
  it("writes every entry of a keyed field the first time, and the rest with a marker", () => {
    const s = { rooms: { a: { n: 1 }, b: { n: 2 } }, seats: {}, pushAt: null };
    const split = splitState(s, FIELDS, new Map());
    expect(JSON.parse(split.rest)).toEqual({ rooms: KEYED, seats: KEYED, pushAt: null });
    expect(split.rows).toEqual([
      { field: "rooms", clear: true, put: [["a", '{"n":1}'], ["b", '{"n":2}']], drop: [] },
      { field: "seats", clear: true, put: [], drop: [] },
    ]);
  });

  it("writes only the entries whose value is a new object, and drops removed keys", () => {
    const a = { n: 1 };
    const s1 = { rooms: { a, b: { n: 2 } }, seats: { u: "a" } };
    const first = splitState(s1, FIELDS, new Map());
    const s2 = { ...s1, rooms: { a, c: { n: 3 } } };
    const second = splitState(s2, FIELDS, first.stored);
    expect(second.rows).toEqual([{ field: "rooms", clear: false, put: [["c", '{"n":3}']], drop: ["b"] }]);
    expect(second.rest).toBe(first.rest);
    // The same record object: nothing to write for it at all.
    expect(splitState(s2, FIELDS, second.stored).rows).toEqual([]);
  });

  it("reads back what it wrote, keys such as __proto__ included", () => {
    const db = new Map<string, Map<string, string>>();
    const rooms = JSON.parse('{"__proto__": {"n": 9}, "a": {"n": 1}}') as Record<string, unknown>;
    const s = { rooms, seats: { u: "a" }, other: [1, 2] };
    const split = splitState(s, FIELDS, new Map());
    apply(db, split.rows);
    const back = joinState(JSON.parse(split.rest), FIELDS, (f) => db.get(f) ?? []);
    // Read back as KeyedRecords, whose JSON is the plain record stored.
    expect(JSON.parse(JSON.stringify(back.state))).toEqual(JSON.parse(JSON.stringify(s)));
    const r = (back.state as { rooms: Keyed<{ n: number }> }).rooms;
    expect(r).toBeInstanceOf(KeyedRecord);
    expect(entryOf(r, "__proto__")).toEqual({ n: 9 });
    expect(Object.getPrototypeOf(JSON.parse(JSON.stringify(r)))).toBe(Object.prototype);
    // The record read is what the next diff compares against: unchanged entries write nothing.
    const next = { ...(back.state as object), rooms: withEntries(r, [["b", { n: 2 }]]) };
    expect(splitState(next, FIELDS, back.stored).rows).toEqual([{ field: "rooms", clear: false, put: [["b", '{"n":2}']], drop: [] }]);
    // A plain copy of it (not made by withEntries) is compared entry by entry, and agrees.
    const copy = { ...(back.state as object), rooms: { ...(JSON.parse(JSON.stringify(r)) as object), c: { n: 3 } } };
    const rows = splitState(copy, FIELDS, back.stored).rows.map((x) => ({ ...x, put: [...x.put].sort() }));
    expect(rows).toEqual([{ field: "rooms", clear: false, put: [["__proto__", '{"n":9}'], ["a", '{"n":1}'], ["c", '{"n":3}']], drop: [] }]);
  });

  it("reads a state saved before the field was keyed as it was, and splits it on the next write", () => {
    const legacy = { rooms: { a: { n: 1 } }, seats: {} };
    const back = joinState(legacy, FIELDS, () => {
      throw new Error("an inline field has no rows to read");
    });
    expect(back.state).toEqual(legacy);
    expect(back.stored.size).toBe(0);
    const split = splitState(back.state, FIELDS, back.stored);
    expect(split.rows.map((r) => [r.field, r.clear, r.put.length])).toEqual([
      ["rooms", true, 1],
      ["seats", true, 0],
    ]);
  });

  it("keeps a field that is not a record inline, and drops its rows", () => {
    const first = splitState({ rooms: { a: 1 } }, FIELDS, new Map());
    const second = splitState({ rooms: null }, FIELDS, first.stored);
    expect(JSON.parse(second.rest)).toEqual({ rooms: null });
    expect(second.rows).toEqual([{ field: "rooms", clear: true, put: [], drop: [] }]);
    expect(joinState({ rooms: null }, FIELDS, () => []).state).toEqual({ rooms: null });
    // Not a record at all, or no keyed fields: one JSON value, as before.
    expect(splitState([1], FIELDS, new Map())).toEqual({ rest: "[1]", rows: [], stored: new Map() });
    expect(splitState({ rooms: {} }, [], new Map()).rest).toBe('{"rooms":{}}');
  });

  it("looks only at the keys withEntries changed when the record was made from what is stored", () => {
    const rooms: Record<string, { n: number }> = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`r${i}`, { n: i }]));
    const first = splitState({ rooms }, FIELDS, new Map());
    const next = withEntries(withEntries(rooms, [["r5", { n: -5 }], ["r6", undefined]]), [["x", { n: 1 }]]);
    const rows = splitState({ rooms: next }, FIELDS, first.stored).rows;
    expect(rows.map((r) => ({ ...r, put: [...r.put].sort() }))).toEqual([
      { field: "rooms", clear: false, put: [["r5", '{"n":-5}'], ["x", '{"n":1}']], drop: ["r6"] },
    ]);
    // A key set back to the very value stored writes nothing.
    expect(splitState({ rooms: withEntries(rooms, [["r1", rooms.r1]]) }, FIELDS, first.stored).rows).toEqual([]);
  });
});
