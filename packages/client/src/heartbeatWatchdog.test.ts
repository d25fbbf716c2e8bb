import { describe, expect, it } from "vitest";
import { HeartbeatWatchdog } from "./heartbeatWatchdog.js";
import { NamedTimers } from "./namedTimers.js";
import { FakeClock } from "./testing/fakeClock.js";

function setup(settings: { pingIntervalMs?: number; deadAfterMs?: number; probeTimeoutMs?: number } = {}, socketOpen = true) {
  const clock = new FakeClock();
  const sent: string[] = [];
  const deaths: Array<[number, string, boolean]> = [];
  let current = 1;
  const watchdog = new HeartbeatWatchdog(
    { pingIntervalMs: 25_000, deadAfterMs: 50_000, probeTimeoutMs: 5_000, clock, ...settings },
    {
      timers: new NamedTimers(clock),
      isCurrent: (generation) => generation === current,
      sendRaw: (text) => socketOpen && sent.push(text) > 0,
      dead: (generation, reason, immediate) => deaths.push([generation, reason, immediate]),
    },
  );
  return { clock, sent, deaths, watchdog, end: () => current++ };
}

describe("HeartbeatWatchdog", () => {
  it("pings every interval and calls a silent connection dead after deadAfterMs", async () => {
    const { clock, sent, deaths, watchdog } = setup();
    watchdog.heard(clock.now());
    watchdog.start(1);
    await clock.advance(49_999);
    expect(sent).toEqual(["ping"]);
    expect(deaths).toEqual([]);
    await clock.advance(1);
    expect(deaths).toEqual([[1, "no data received (dead connection)", false]]);
  });

  it("counts from the last thing heard, re-arming instead of firing early", async () => {
    const { clock, deaths, watchdog } = setup({ pingIntervalMs: 0 });
    watchdog.heard(clock.now());
    watchdog.start(1);
    await clock.advance(30_000);
    watchdog.heard(clock.now());
    await clock.advance(49_999);
    expect(deaths).toEqual([]);
    await clock.advance(1);
    expect(deaths).toHaveLength(1);
  });

  it("on wake: dead at once when silent too long, else a probe that must be answered", async () => {
    const silent = setup();
    silent.watchdog.heard(silent.clock.now());
    silent.clock.jump(50_000);
    silent.watchdog.wake(1);
    expect(silent.deaths).toEqual([[1, "no data received (checked on wake)", true]]);

    const probed = setup();
    probed.watchdog.heard(probed.clock.now());
    probed.watchdog.wake(1);
    expect(probed.sent).toEqual(["ping"]);
    await probed.clock.advance(5_000);
    expect(probed.deaths).toEqual([[1, "no data received (dead connection)", false]]);
  });

  it("an answered probe no longer kills the connection", async () => {
    const { clock, deaths, watchdog } = setup({ deadAfterMs: 0 });
    watchdog.wake(1);
    await clock.advance(1_000);
    watchdog.heard(clock.now());
    // Past the probe's 5 s deadline: the answer cleared it.
    await clock.advance(60_000);
    expect(deaths).toEqual([]);
  });

  it("a forgotten probe no longer kills the connection", async () => {
    const { clock, deaths, watchdog } = setup({ deadAfterMs: 0 });
    watchdog.wake(1);
    watchdog.forgetProbe();
    await clock.advance(60_000);
    expect(deaths).toEqual([]);
  });

  it("no probe without an open socket, and nothing at all for an ended connection", async () => {
    const closed = setup({}, false);
    closed.watchdog.heard(closed.clock.now());
    closed.watchdog.wake(1);
    await closed.clock.advance(10_000);
    expect(closed.deaths).toEqual([]);

    const ended = setup();
    ended.watchdog.heard(ended.clock.now());
    ended.watchdog.start(1);
    ended.end();
    await ended.clock.advance(100_000);
    expect(ended.sent).toEqual([]);
    expect(ended.deaths).toEqual([]);
  });
});
