import { describe, expect, it } from "vitest";
import { frameClass, ResumeCursor } from "./resumeCursor.mjs";

const logged = (seq, epoch = "e1") => ({ type: "publish", data: {}, seq, epoch });

describe("ResumeCursor", () => {
  it("prints each logged frame once: a replay that overlaps what was printed is dropped", () => {
    const cursor = new ResumeCursor();
    expect(cursor.admit({ type: "snapshot", seq: 1, epoch: "e1", state: {} })).toBe("print");
    expect(cursor.admit(logged(2))).toBe("print");
    expect(cursor.admit(logged(3))).toBe("print");
    expect(cursor.resumeParams()).toEqual({ since: "3", epoch: "e1" });
    // After a reconnect with since=3 a server may repeat 3 (it never should, but a duplicate is never printed twice).
    expect(cursor.admit(logged(3))).toBe("duplicate");
    expect(cursor.admit(logged(5))).toBe("print"); // a gap (a frame for someone else) is not loss
    expect(cursor.admit({ type: "recovered", recovered: true, seq: 7, epoch: "e1" })).toBe("recovered");
    expect(cursor.resumeParams()).toEqual({ since: "7", epoch: "e1" });
  });

  it("the {event, data} family and frames without seq", () => {
    const cursor = new ResumeCursor();
    expect(cursor.admit({ event: "snapshot", data: { state: {} }, seq: 4, epoch: "e" })).toBe("print");
    expect(cursor.admit({ event: "dice_roll", data: { result: 9 }, seq: 4, epoch: "e" })).toBe("duplicate");
    expect(cursor.admit({ type: "presence.join", user: { id: "a" } })).toBe("print");
    expect(cursor.admit({ type: "ack", id: "c1", seq: 99 })).toBe("print");
    expect(cursor.position).toEqual({ seq: 4, epoch: "e" }); // an ack's seq never moves the cursor
    expect(cursor.admit("pong")).toBe("print");
  });

  it("a snapshot after frames is a reset: a new epoch (or a gap too old to replay) starts over", () => {
    const cursor = new ResumeCursor();
    cursor.admit({ type: "snapshot", seq: 3, epoch: "e1", state: {} });
    cursor.admit(logged(4));
    expect(cursor.admit({ type: "snapshot", recovered: false, seq: 0, epoch: "e2", state: {} })).toBe("reset");
    expect(cursor.admit(logged(1, "e2"))).toBe("print");
    expect(cursor.resumeParams()).toEqual({ since: "1", epoch: "e2" });
  });

  it("asks for no resume before the first frame, and the recovered marker never moves back", () => {
    const cursor = new ResumeCursor();
    expect(cursor.resumeParams()).toEqual({});
    cursor.admit(logged(9));
    cursor.admit({ type: "recovered", recovered: true, seq: 5, epoch: "e1" });
    expect(cursor.resumeParams()).toEqual({ since: "9", epoch: "e1" });
  });

  it("classifies frames as the protocol names them", () => {
    expect(frameClass({ type: "error", code: "X", id: "1" })).toBe("ephemeral");
    expect(frameClass({ event: "recovered", data: {}, recovered: true, seq: 1, epoch: "e" })).toBe("recovered");
    expect(frameClass({ type: "snapshot", recovered: false, seq: 1, epoch: "e" })).toBe("snapshot");
    expect(frameClass([1, 2])).toBe("ephemeral");
  });
});
