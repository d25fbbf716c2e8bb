import { describe, expect, it } from "vitest";
import { FlowControlCursor } from "./flowControlCursor.js";
import { NamedTimers } from "./namedTimers.js";
import { FakeClock } from "./testing/fakeClock.js";

function setup(intervalMs = 1_000) {
  const clock = new FakeClock();
  const sent: unknown[] = [];
  let current = 1;
  const cursor = new FlowControlCursor(intervalMs, {
    timers: new NamedTimers(clock),
    isCurrent: (generation) => generation === current,
    sendRaw: (text) => sent.push(JSON.parse(text)) > 0,
  });
  return { clock, sent, cursor, end: () => current++ };
}

describe("FlowControlCursor", () => {
  it("sends one cursor per interval with the totals at that moment, none while nothing arrives", async () => {
    const { clock, sent, cursor } = setup();
    cursor.count(1, "abc");
    await clock.advance(500);
    cursor.count(1, "de");
    await clock.advance(500);
    expect(sent).toEqual([{ type: "cursor", frames: 2, chars: 5 }]);
    await clock.advance(5_000);
    expect(sent).toHaveLength(1);
    cursor.count(1, "f");
    await clock.advance(1_000);
    expect(sent.at(-1)).toEqual({ type: "cursor", frames: 3, chars: 6 });
  });

  it("takes the room's family, and counts from zero on a new connection", async () => {
    const { clock, sent, cursor } = setup();
    cursor.noteFamily({ event: "snapshot", data: {} });
    cursor.count(1, "abc");
    cursor.reset();
    cursor.count(1, "de");
    await clock.advance(1_000);
    expect(sent).toEqual([{ event: "cursor", data: { frames: 1, chars: 2 } }]);
  });

  it("sends nothing with interval 0, nor for an ended connection", async () => {
    const off = setup(0);
    off.cursor.count(1, "abc");
    await off.clock.advance(10_000);
    expect(off.sent).toEqual([]);

    const ended = setup();
    ended.cursor.count(1, "abc");
    ended.end();
    await ended.clock.advance(1_000);
    expect(ended.sent).toEqual([]);
  });
});
