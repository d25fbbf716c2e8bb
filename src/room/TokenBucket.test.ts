import { describe, expect, it } from "vitest";
import { TokenBucket } from "./TokenBucket.ts";

describe("TokenBucket", () => {
  it("allows a burst, then refuses, then refills with time", () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(400)).toBe(false); // 0.8 tokens
    expect(b.take(500)).toBe(true); // 1.0 token after 500 ms at 2/s
    expect(b.take(10_000)).toBe(true);
  });
  it("never holds more than its capacity", () => {
    const b = new TokenBucket(2, 100, 0);
    expect(b.take(60_000)).toBe(true);
    expect(b.take(60_000)).toBe(true);
    expect(b.take(60_000)).toBe(false);
  });
});
