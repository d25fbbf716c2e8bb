import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF } from "./backoffDelay.js";
import { CLOSE_CODES } from "./closePolicy.js";
import { RetrySchedule } from "./retrySchedule.js";

const backoff = { ...DEFAULT_BACKOFF, jitter: "none" as const };

function schedule(options: { getToken?: () => string } = { getToken: () => "t" }) {
  return new RetrySchedule({ backoff, random: () => 0.5, stableAfterMs: 5_000, getToken: options.getToken });
}

describe("RetrySchedule", () => {
  it("backs off across quick losses: the fast window first, then the attempt bound", () => {
    const retry = schedule();
    const delays = [0, 1_000, 2_000, 60_000].map((now) => retry.afterLoss(CLOSE_CODES.ABNORMAL, now, false));
    // attempt bound 500, 1000, 2000, 4000; outage bound max(1000, a quarter of the time down).
    expect(delays).toEqual([500, 1_000, 1_000, 4_000]);
  });

  it("starts over after a connection that stayed up stableAfterMs, not after one that closed at once", () => {
    const retry = schedule();
    retry.afterLoss(CLOSE_CODES.ABNORMAL, 0, false);
    retry.afterLoss(CLOSE_CODES.ABNORMAL, 100_000, false);
    retry.opened(200_000);
    expect(retry.afterLoss(CLOSE_CODES.ABNORMAL, 200_100, false)).toBe(2_000);
    retry.opened(300_000);
    expect(retry.afterLoss(CLOSE_CODES.ABNORMAL, 305_000, false)).toBe(500);
    retry.opened(400_000);
    retry.dropped();
    expect(retry.afterLoss(CLOSE_CODES.ABNORMAL, 405_000, false)).toBe(1_000);
  });

  it("final codes are final; a rejected token gets one immediate retry, and only with getToken", () => {
    expect(schedule().afterLoss(CLOSE_CODES.FORBIDDEN, 0, false)).toBe("final");
    const retry = schedule();
    expect(retry.afterLoss(CLOSE_CODES.INVALID_TOKEN, 0, false)).toBe(0);
    expect(retry.afterLoss(CLOSE_CODES.INVALID_TOKEN, 10, false)).toBe("final");
    expect(schedule({}).afterLoss(CLOSE_CODES.INVALID_TOKEN, 0, false)).toBe("final");
  });

  it("immediate retries at once, whatever the code; otherwise a pushback backs off, and keeps its backoff after a stable connection", () => {
    expect(schedule().afterLoss(CLOSE_CODES.ABNORMAL, 0, true)).toBe(0);
    const retry = schedule();
    expect(retry.afterLoss(CLOSE_CODES.ROOM_FULL, 0, true)).toBe(0);
    expect(retry.afterLoss(CLOSE_CODES.ROOM_FULL, 10, false)).toBe(1_000);
    retry.opened(100_000);
    expect(retry.afterLoss(CLOSE_CODES.ABUSE, 200_000, false)).toBe(2_000);
  });
});
