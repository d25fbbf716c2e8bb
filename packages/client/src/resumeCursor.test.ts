import { describe, expect, it } from "vitest";
import { ResumeCursor } from "./resumeCursor.js";

describe("ResumeCursor", () => {
  it("starts empty and admits the first frame", () => {
    const cursor = new ResumeCursor();
    expect(cursor.position).toBeUndefined();
    expect(cursor.admit(5, "e")).toBe("new");
    expect(cursor.position).toEqual({ seq: 5, epoch: "e" });
  });

  it("drops seq <= last for the same epoch, accepts gaps", () => {
    const cursor = new ResumeCursor({ seq: 5, epoch: "e" });
    expect(cursor.admit(5, "e")).toBe("duplicate");
    expect(cursor.admit(3, "e")).toBe("duplicate");
    expect(cursor.admit(8, "e")).toBe("new");
    expect(cursor.position).toEqual({ seq: 8, epoch: "e" });
  });

  it("admits another stream's frames (a followed game, [S6]) without moving, each stream deduplicated by its own seqs", () => {
    const cursor = new ResumeCursor({ seq: 5, epoch: "e" });
    expect(cursor.admit(1, "f")).toBe("other-stream");
    expect(cursor.admit(2, "f")).toBe("other-stream");
    expect(cursor.admit(2, "f")).toBe("duplicate");
    expect(cursor.admit(6, "e")).toBe("new");
    expect(cursor.position).toEqual({ seq: 6, epoch: "e" });
  });

  it("reset goes anywhere, even backwards", () => {
    const cursor = new ResumeCursor({ seq: 50, epoch: "e" });
    cursor.reset(3, "f");
    expect(cursor.position).toEqual({ seq: 3, epoch: "f" });
  });

  it("markRecovered moves forward only", () => {
    const cursor = new ResumeCursor({ seq: 5, epoch: "e" });
    cursor.markRecovered(9, "e");
    expect(cursor.position).toEqual({ seq: 9, epoch: "e" });
    cursor.markRecovered(7, "e");
    expect(cursor.position).toEqual({ seq: 9, epoch: "e" });
    cursor.markRecovered(undefined, undefined);
    expect(cursor.position).toEqual({ seq: 9, epoch: "e" });
  });

  it("does not share the caller's start object", () => {
    const start = { seq: 1, epoch: "e" };
    const cursor = new ResumeCursor(start);
    cursor.admit(2, "e");
    expect(start.seq).toBe(1);
  });
});
