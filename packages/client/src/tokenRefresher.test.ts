import { describe, expect, it } from "vitest";
import type { HearthClientError } from "./hearthClientError.js";
import { NamedTimers } from "./namedTimers.js";
import { FakeClock } from "./testing/fakeClock.js";
import { TokenRefresher } from "./tokenRefresher.js";

function setup(getToken: (() => Promise<string> | string) | undefined, refreshMarginMs = 60_000) {
  const clock = new FakeClock(0);
  const sent: string[] = [];
  const errors: string[] = [];
  const refreshed: Array<number | null> = [];
  let current = 1;
  const refresher = new TokenRefresher(
    { getToken, refreshMarginMs, clock },
    {
      timers: new NamedTimers(clock),
      isCurrent: (generation) => generation === current,
      sendRaw: (text) => sent.push(text) > 0,
      error: (error: HearthClientError) => errors.push(error.code),
      refreshed: (expiresAt) => refreshed.push(expiresAt),
    },
  );
  return { clock, sent, errors, refreshed, refresher, end: () => current++ };
}

describe("TokenRefresher", () => {
  it("presents a fresh token refreshMarginMs before the current one expires", async () => {
    const { clock, sent, refresher } = setup(() => "fresh");
    refresher.schedule(1, 600_000);
    await clock.advance(539_999);
    expect(sent).toEqual([]);
    await clock.advance(1);
    expect(sent.map((text) => JSON.parse(text))).toEqual([{ type: "hearth.token", token: "fresh" }]);
  });

  it("re-arms for the fresh token's expiry once the server took it, and reports a refusal", async () => {
    const { clock, sent, errors, refreshed, refresher } = setup(() => "fresh");
    refresher.answered(1, { ok: true, expiresAt: 300_000 });
    expect(refreshed).toEqual([300_000]);
    await clock.advance(240_000);
    expect(sent).toHaveLength(1);
    refresher.answered(1, { ok: false, expiresAt: null, code: "NO_KEY" });
    expect(errors).toEqual(["TOKEN_REFRESH_REFUSED"]);
    expect(refreshed).toEqual([300_000]);
  });

  it("retries a failed fetch while the current token lasts", async () => {
    let calls = 0;
    const { clock, errors, refresher } = setup(() => {
      calls++;
      throw new Error("offline");
    });
    refresher.schedule(1, 10_000);
    await clock.advance(10_000);
    expect(calls).toBeGreaterThan(1);
    expect(errors.every((code) => code === "TOKEN_FAILED")).toBe(true);
    const before = calls;
    await clock.advance(60_000);
    expect(calls).toBe(before);
  });

  it("does nothing without getToken, without a margin, or for an ended connection", async () => {
    for (const s of [setup(undefined), setup(() => "fresh", 0)]) {
      s.refresher.schedule(1, 600_000);
      await s.clock.advance(600_000);
      expect(s.sent).toEqual([]);
    }
    const ended = setup(() => Promise.resolve("late"));
    ended.refresher.schedule(1, 600_000);
    await ended.clock.advance(539_999);
    ended.end();
    await ended.clock.advance(1);
    ended.refresher.schedule(1, 600_000);
    await ended.clock.advance(600_000);
    expect(ended.sent).toEqual([]);
  });
});
