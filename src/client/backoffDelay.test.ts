import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoffDelay";

const none: BackoffOptions = { ...DEFAULT_BACKOFF, jitter: "none" };

describe("backoffDelay", () => {
  it("grows by the factor from initialMs", () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, none, () => 0))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it("is capped at maxMs, also when factor^attempt overflows", () => {
    expect(backoffDelay(6, none, () => 0)).toBe(30_000);
    expect(backoffDelay(10_000, none, () => 0)).toBe(30_000);
  });

  it("full jitter stays in [0, ceiling)", () => {
    const full: BackoffOptions = { ...DEFAULT_BACKOFF, jitter: "full" };
    expect(backoffDelay(2, full, () => 0)).toBe(0);
    expect(backoffDelay(2, full, () => 0.999999)).toBe(1999);
    expect(backoffDelay(2, full, () => 0.5)).toBe(1000);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(20, full, Math.random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
    }
  });

  it("equal jitter never drops below half the ceiling", () => {
    const equal: BackoffOptions = { ...DEFAULT_BACKOFF, jitter: "equal" };
    expect(backoffDelay(1, equal, () => 0)).toBe(500);
    expect(backoffDelay(1, equal, () => 0.999999)).toBe(999);
  });

  it("is the default the brief asks for: 500 ms, 30 s, x2, full jitter", () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: "full" });
  });
});
