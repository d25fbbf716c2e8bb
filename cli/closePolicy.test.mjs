import { describe, expect, it } from "vitest";
import { closePolicy, retryDelayMs } from "./closePolicy.mjs";

describe("closePolicy", () => {
  it("stops where retrying cannot help, retries the rest", () => {
    expect(closePolicy(1000)).toBe("final");
    expect(closePolicy(4003)).toBe("final");
    expect(closePolicy(4004)).toBe("final");
    expect(closePolicy(4001)).toBe("auth");
    expect(closePolicy(4008)).toBe("retry-slow");
    expect(closePolicy(4009)).toBe("retry-slow");
    for (const code of [1001, 1006, 1011, 1012, 4000, 4010, 4011]) expect(closePolicy(code)).toBe("retry");
  });

  it("backs off from 250 ms to at most 3 s; a pushed-back retry waits at least 2 s", () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => retryDelayMs(n))).toEqual([250, 500, 1000, 2000, 3000, 3000]);
    expect(retryDelayMs(0, true)).toBe(2000);
  });
});
