import { describe, expect, it } from "vitest";
import { changedKeys, withEntries } from "./keyedRecord.ts";

describe("[P10] withEntries", () => {
  it("sets and removes own keys, __proto__ as data, and leaves its base as it was", () => {
    const base: Record<string, number> = { a: 1, b: 2 };
    const next = withEntries(base, [["__proto__", 7], ["b", undefined], ["c", 3]]);
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(Object.hasOwn(next, "__proto__")).toBe(true);
    expect(JSON.stringify(next)).toBe('{"a":1,"__proto__":7,"c":3}');
    expect(base).toEqual({ a: 1, b: 2 });
    const gone = withEntries(next, [["__proto__", undefined]]);
    expect(Object.hasOwn(gone, "__proto__")).toBe(false);
    expect(Object.getPrototypeOf(gone)).toBe(Object.prototype);
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
});
