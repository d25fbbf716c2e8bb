import { describe, expect, it } from "vitest";
import { seededRandom } from "./seededRandom.ts";

describe("seededRandom", () => {
  it("repeats for the same room seed and seq, differs otherwise", () => {
    const draw = (seed: number, seq: number) => Array.from({ length: 5 }, seededRandom(seed, seq));
    expect(draw(42, 7)).toEqual(draw(42, 7));
    expect(draw(42, 7)).not.toEqual(draw(42, 8));
    expect(draw(42, 7)).not.toEqual(draw(43, 7));
    for (const x of draw(1, 1)) expect(x >= 0 && x < 1).toBe(true);
  });
});
