import { describe, expect, it } from "vitest";
import { candidateShards } from "./candidateShards.ts";

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
});
