import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoffDelay.js";

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

  it("is the default: 500 ms, 30 s, x2, full jitter; 1 s while an outage is short, then a quarter of it", () => {
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: "full", fastMs: 1_000, outageShare: 0.25 });
  });

  it("[C-RECON1] the outage bound: fastMs for a short outage, then outageShare of it, never past maxMs", () => {
    expect(backoffDelay(5, none, () => 0, 0)).toBe(1_000);
    expect(backoffDelay(5, none, () => 0, 4_000)).toBe(1_000);
    expect(backoffDelay(5, none, () => 0, 10_000)).toBe(2_500);
    expect(backoffDelay(20, none, () => 0, 600_000)).toBe(30_000);
    // The attempt bound still applies: the first retry's ceiling is initialMs.
    expect(backoffDelay(0, none, () => 0, 60_000)).toBe(500);
    // Omitted (the server said "slow down"): the attempt bound alone.
    expect(backoffDelay(5, none, () => 0)).toBe(16_000);
  });
});
