import { describe, expect, it } from "vitest";
import { changedKeys, emptyKeyed, entriesOf, entryOf, hasEntry, keyedFrom, KeyedRecord, keysOf, rebase, sizeOf, valuesOf, withEntries } from "./keyedRecord.ts";

describe("[P10] withEntries", () => {
  it("sets and removes own keys, __proto__ as data, and leaves its base as it was", () => {
    const base: Record<string, number> = { a: 1, b: 2 };
    const next = withEntries(base, [["__proto__", 7], ["b", undefined], ["c", 3]]);
    expect(hasEntry(next, "__proto__")).toBe(true);
    const json = JSON.parse(JSON.stringify(next)) as object;
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(json).toEqual(JSON.parse('{"a":1,"__proto__":7,"c":3}'));
    expect(base).toEqual({ a: 1, b: 2 });
    const gone = withEntries(next, [["__proto__", undefined]]);
    expect(hasEntry(gone, "__proto__")).toBe(false);
    expect(sizeOf(gone)).toBe(2);
  });

  it("knows which keys a record changed from one it was made from, over several steps", () => {
    const base: Record<string, number> = { a: 1, b: 2, c: 3 };
    const one = withEntries(base, [["a", 10]]);
    const two = withEntries(one, [["b", undefined], ["d", 4]]);
    expect([...changedKeys(two, base)!].sort()).toEqual(["a", "b", "d"]);
    expect([...changedKeys(two, one)!].sort()).toEqual(["b", "d"]);
    expect(changedKeys(base, base)!.size).toBe(0);
    // Not made from it (a spread copy, or another line of changes): unknown, so every entry is compared.
    expect(changedKeys({ ...two }, base)).toBeNull();
    expect(changedKeys(withEntries({ ...base }, [["a", 1]]), base)).toBeNull();
  });

  // Each step's memory holds the record before it: unbounded, a lobby kept every version of its
  // rooms it ever made (bench/ROLL-COST.md, stop 42). Lines are cut where nothing asks any more.
  const line = (n: number, from: KeyedRecord<number> = keyedFrom([["k0", 0]])) => {
    const out = [from];
    for (let i = 1; i <= n; i++) out.push(withEntries(out[i - 1]!, [[`k${i}`, i]]));
    return out;
  };

  it("remembers at most 32 steps of a line: the record after that starts a new one", () => {
    const r = line(70);
    expect([...changedKeys(r[32]!, r[0]!)!]).toHaveLength(32);
    expect(changedKeys(r[33]!, r[32]!)).toBeNull();
    expect(changedKeys(r[33]!, r[0]!)).toBeNull();
    expect([...changedKeys(r[40]!, r[33]!)!].sort()).toEqual(["k34", "k35", "k36", "k37", "k38", "k39", "k40"]);
    // The new line counts its own 32 steps from r[33].
    expect([...changedKeys(r[65]!, r[33]!)!]).toHaveLength(32);
    expect(changedKeys(r[66]!, r[33]!)).toBeNull();
    expect(changedKeys(r[66]!, r[65]!)).toBeNull();
  });

  it("rebase: a record storage holds forgets how it was made; diffs from it still work, and later records count from it", () => {
    const r = line(10);
    rebase(r[5]!);
    expect(changedKeys(r[5]!, r[4]!)).toBeNull();
    expect(changedKeys(r[7]!, r[3]!)).toBeNull();
    expect([...changedKeys(r[7]!, r[5]!)!].sort()).toEqual(["k6", "k7"]);
    // r[10] sits 10 steps down its line: 32 more before its rebase are past the cut; after it, within.
    const after = line(32, r[10]!);
    rebase(r[10]!);
    const fresh = line(32, r[10]!);
    expect(changedKeys(after[32]!, r[10]!)).toBeNull();
    expect([...changedKeys(fresh[32]!, r[10]!)!]).toHaveLength(32);
  });
});

describe("[P10] KeyedRecord", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => [`room_${i}`, i] as const);

  it("holds what a plain record holds: sizes, reads, removals, and JSON that is the plain record", () => {
    const plain = Object.fromEntries(many(500));
    let rec = withEntries(plain, [["room_3", 33], ["room_4", undefined], ["new", -1], ["absent", undefined]]);
    expect(rec).toBeInstanceOf(KeyedRecord);
    expect(sizeOf(rec)).toBe(500);
    expect([entryOf(rec, "room_3"), entryOf(rec, "room_4"), entryOf(rec, "new"), hasEntry(rec, "room_4")]).toEqual([33, undefined, -1, false]);
    rec = withEntries(rec, [["new", undefined]]);
    expect(sizeOf(rec)).toBe(499);
    const json = JSON.parse(JSON.stringify(rec)) as Record<string, number>;
    expect(Object.keys(json).length).toBe(499);
    expect(json).toEqual({ ...Object.fromEntries(many(500)), room_3: 33, room_4: undefined });
    expect(Object.fromEntries(entriesOf(rec))).toEqual(json);
    expect(keysOf(rec).sort()).toEqual(Object.keys(json).sort());
    expect(valuesOf(rec).length).toBe(499);
    // The record it was made from is untouched.
    expect([plain.room_3, plain.room_4, Object.keys(plain).length]).toEqual([3, 4, 500]);
  });

  it("sees own keys only, in a plain record and a KeyedRecord alike, __proto__ included", () => {
    const keys = ["constructor", "__proto__", "toString", "hasOwnProperty"];
    for (const rec of [{}, emptyKeyed<number>(), keyedFrom<number>([])]) for (const k of keys) expect([entryOf(rec, k), hasEntry(rec, k)]).toEqual([undefined, false]);
    const rec = withEntries(emptyKeyed<number>(), keys.map((k, i) => [k, i] as const));
    expect(keys.map((k) => entryOf(rec, k))).toEqual([0, 1, 2, 3]);
    expect(Object.hasOwn(JSON.parse(JSON.stringify(rec)) as object, "__proto__")).toBe(true);
    expect(entryOf(keyedFrom([["__proto__", 7]]), "__proto__")).toBe(7);
  });

  it("copies the buckets a change touches, not the record: the others are shared", () => {
    const a = keyedFrom(many(1000));
    const b = withEntries(a, [["room_1", -1]]);
    const shared = a.buckets.filter((x, i) => x === b.buckets[i]).length;
    expect(shared).toBe(a.buckets.length - 1);
    expect([...changedKeys(b, a)!]).toEqual(["room_1"]);
  });
});
