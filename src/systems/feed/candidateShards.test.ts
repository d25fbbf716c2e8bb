import { describe, expect, it } from "vitest";
import { candidateShards, growBy } from "./candidateShards.ts";

const shards = [
  { shard: 0, from: 0 },
  { shard: 1, from: 40 },
  { shard: 2, from: 90 },
];

describe("candidateShards", () => {
  it("tries the newest shard first", () => {
    expect(candidateShards(shards)).toEqual([2, 1, 0]);
  });

  it("puts the shards whose log reaches a resume cursor first, newest of them first", () => {
    expect(candidateShards(shards, 50)).toEqual([1, 0, 2]);
    expect(candidateShards(shards, 10)).toEqual([0, 2, 1]);
    expect(candidateShards(shards, 95)).toEqual([2, 1, 0]);
  });

  it("has nothing to offer a feed without shards (the worker grows one)", () => {
    expect(candidateShards([], 3)).toEqual([]);
  });

  it("grows by one for a lone subscriber and doubles at most for a crowd (growBy)", () => {
    expect(growBy(20, 0)).toBe(1);
    expect(growBy(0, 0)).toBe(1);
    // A crowd at a fresh feed, one round after another: 0 -> 1 -> 2 -> 4 -> 8 shards.
    expect([growBy(0, 0), growBy(1, 1), growBy(2, 2), growBy(4, 3)]).toEqual([1, 1, 2, 4]);
    expect(growBy(200, 20)).toBe(200);
  });
});
