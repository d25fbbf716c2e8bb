import { describe, expect, it } from "vitest";
import { frameLine, parseFrame, readableLine, unbatch } from "./formatFrame.mjs";

describe("formatFrame", () => {
  it("reads as #seq, name, then the rest, in both frame families", () => {
    expect(readableLine({ type: "publish", data: { hello: "world" }, from: "me", seq: 2, epoch: "e" })).toBe('#2 publish {"data":{"hello":"world"},"from":"me"}');
    expect(readableLine({ event: "dice_roll", data: { result: 15 }, seq: 3, epoch: "e" })).toBe('#3 dice_roll {"result":15}');
    expect(readableLine({ type: "presence.count", count: 4 })).toBe('- presence.count {"count":4}');
    expect(readableLine({ type: "recovered", recovered: true, seq: 1, epoch: "e" })).toBe('#1 recovered {"recovered":true}');
    expect(readableLine({ event: "hello", data: {}, seq: 1 })).toBe("#1 hello");
    expect(readableLine("pong")).toBe("pong");
  });

  it("shows a snapshot's epoch and state, and says when it replaced a history it could not replay", () => {
    expect(readableLine({ type: "snapshot", seq: 1, epoch: "ab12", state: { n: 1 } })).toBe('#1 snapshot epoch=ab12 {"n":1}');
    expect(readableLine({ event: "snapshot", data: { state: [] }, seq: 0, epoch: "e", recovered: false })).toBe("#0 snapshot epoch=e (history could not be replayed: fresh state) []");
  });

  it("clips long lines in readable mode only", () => {
    const frame = { type: "publish", data: "x".repeat(1000), seq: 1, epoch: "e" };
    expect(readableLine(frame).length).toBeLessThanOrEqual(420);
    expect(readableLine(frame).endsWith("…")).toBe(true);
    expect(JSON.parse(frameLine(frame, true))).toEqual(frame);
  });

  it("--json prints one JSON value per line, text frames as JSON strings", () => {
    expect(frameLine({ type: "x", seq: 1 }, true)).toBe('{"type":"x","seq":1}');
    expect(frameLine("pong", true)).toBe('"pong"');
  });

  it("unpacks batches and parses text", () => {
    const a = { type: "publish", seq: 1 };
    expect(unbatch({ type: "batch", frames: [a, a] })).toEqual([a, a]);
    expect(unbatch({ event: "batch", data: { frames: [a] } })).toEqual([a]);
    expect(unbatch(a)).toEqual([a]);
    expect(parseFrame('{"a":1}')).toEqual({ a: 1 });
    expect(parseFrame("pong")).toBe("pong");
  });
});
