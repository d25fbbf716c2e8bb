import { describe, expect, it } from "vitest";
import { parseCursor, planResume } from "./planResume.ts";

// Centrifugo's recovery table, as pure rules; the socket-level version lives in test/resume.test.ts.
describe("planResume", () => {
  const log = { epoch: "e1", head: 50, tail: 21, maxReplay: 1000 };
  it("no cursor: fresh connect", () => expect(planResume({}, log)).toEqual({ mode: "fresh" }));
  it("from position: replays what follows", () =>
    expect(planResume({ since: 30, epoch: "e1" }, log)).toEqual({ mode: "replay", after: 30 }));
  it("oldest bridgeable position: the first missing seq is the tail", () =>
    expect(planResume({ since: 20, epoch: "e1" }, log)).toEqual({ mode: "replay", after: 20 }));
  it("too far back: snapshot", () =>
    expect(planResume({ since: 19, epoch: "e1" }, log)).toEqual({ mode: "snapshot", reason: "too_far" }));
  it("same position: replays nothing and recovers", () =>
    expect(planResume({ since: 50, epoch: "e1" }, log)).toEqual({ mode: "replay", after: 50 }));
  it("position not yet existing: snapshot", () =>
    expect(planResume({ since: 51, epoch: "e1" }, log)).toEqual({ mode: "snapshot", reason: "future" }));
  it("epoch changed: snapshot", () =>
    expect(planResume({ since: 30, epoch: "e0" }, log)).toEqual({ mode: "snapshot", reason: "epoch_changed" }));
  it("cursor without epoch: snapshot", () =>
    expect(planResume({ since: 30 }, log)).toEqual({ mode: "snapshot", reason: "no_epoch" }));
  it("empty log after expiry: only the head position recovers", () => {
    const expired = { epoch: "e1", head: 50, tail: 51, maxReplay: 1000 };
    expect(planResume({ since: 50, epoch: "e1" }, expired)).toEqual({ mode: "replay", after: 50 });
    expect(planResume({ since: 49, epoch: "e1" }, expired)).toEqual({ mode: "snapshot", reason: "too_far" });
  });
  it("a gap larger than the retention promise is too far, even if the rows are still there", () => {
    const untrimmed = { epoch: "e1", head: 2100, tail: 1, maxReplay: 1000 };
    expect(planResume({ since: 1100, epoch: "e1" }, untrimmed)).toEqual({ mode: "replay", after: 1100 });
    expect(planResume({ since: 1099, epoch: "e1" }, untrimmed)).toEqual({ mode: "snapshot", reason: "too_far" });
  });
  it("parses cursors defensively", () => {
    expect(parseCursor({ since: "12", epoch: "x" })).toEqual({ since: 12, epoch: "x" });
    expect(parseCursor({ since: "-1", epoch: "x" })).toEqual({});
    expect(parseCursor({ since: "1e9" })).toEqual({});
    expect(parseCursor({ epoch: "x" })).toEqual({});
  });
});
