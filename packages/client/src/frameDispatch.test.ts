import { describe, expect, it } from "vitest";
import { DocumentDeltas } from "./documentDeltas.js";
import { FrameDispatch } from "./frameDispatch.js";
import type { HearthClientError } from "./hearthClientError.js";
import { Outbox } from "./outbox.js";
import { ResumeCursor } from "./resumeCursor.js";

type Frame = Record<string, unknown>;

function setup(options: { catchingUp?: boolean; documents?: boolean; from?: { seq: number; epoch: string } } = {}) {
  const calls: Array<[string, unknown]> = [];
  let generation = 1;
  let catchingUp = options.catchingUp ?? false;
  const cursor = new ResumeCursor(options.from);
  const outbox = new Outbox(10);
  const dispatch = new FrameDispatch<Frame>({
    cursor,
    outbox,
    documents: options.documents ? new DocumentDeltas({ field: "doc", stream: "id" }) : undefined,
    flowControl: { count: (_g, text) => calls.push(["count", text.length]), noteFamily: () => {} },
    tokenRefresher: { answered: (_g, answer) => calls.push(["token", answer.ok]) },
    emit: (event, payload) => {
      calls.push([event, event === "error" ? (payload as HearthClientError).code : payload]);
      // A listener that ends the connection (an epoch change reconnects).
      if (event === "frame" && (payload as Frame).end) generation++;
    },
    isCurrent: (g) => g === generation,
    catchingUp: () => catchingUp,
    caughtUp: (g) => {
      calls.push(["caughtUp", g]);
      catchingUp = false;
    },
    reconnect: () => calls.push(["reconnect", undefined]),
  });
  const receive = (data: unknown) => dispatch.message(1, typeof data === "string" ? data : JSON.stringify(data));
  const names = () => calls.map(([name]) => name);
  return { calls, names, cursor, outbox, dispatch, receive };
}

describe("FrameDispatch", () => {
  it("drops duplicates, counts the replay, and ends the catch-up at the recovered marker", () => {
    const { calls, cursor, receive } = setup({ catchingUp: true, from: { seq: 1, epoch: "e1" } });
    receive({ type: "m", seq: 1, epoch: "e1" });
    receive({ type: "m", seq: 2, epoch: "e1" });
    receive({ type: "m", seq: 1, epoch: "other" }); // another stream: delivered, no replay count
    receive({ type: "recovered", recovered: true, seq: 5, epoch: "e1" });
    expect(calls.filter(([name]) => name !== "count")).toEqual([
      ["frame", { type: "m", seq: 2, epoch: "e1" }],
      ["frame", { type: "m", seq: 1, epoch: "other" }],
      ["resumed", { replayed: 1 }],
      ["caughtUp", 1],
    ]);
    expect(cursor.position).toEqual({ seq: 5, epoch: "e1" });
  });

  it("a snapshot resets the cursor and ends the catch-up; once live it only replaces state", () => {
    const { names, cursor, receive } = setup({ catchingUp: true, from: { seq: 9, epoch: "e1" } });
    receive({ type: "snapshot", seq: 3, epoch: "e2", state: { a: 1 } });
    receive({ type: "snapshot", seq: 4, epoch: "e2", state: { a: 2 } });
    expect(names().filter((name) => name !== "count")).toEqual(["snapshot", "caughtUp", "snapshot"]);
    expect(cursor.position).toEqual({ seq: 4, epoch: "e2" });
  });

  it("settles commands: an ack resolves one, a rejection fails it and is also the app's frame", () => {
    const { calls, outbox, receive } = setup();
    const settled: string[] = [];
    outbox.push({ text: "{}", id: "c1", sentOn: 1, onAck: () => settled.push("c1 acked") });
    outbox.push({ text: "{}", id: "c2", sentOn: 1, onFail: (error) => settled.push(`c2 ${error.code}`) });
    receive({ type: "ack", id: "c1", seq: 7 });
    receive({ type: "error", id: "c2" });
    expect(settled).toEqual(["c1 acked", "c2 COMMAND_REJECTED"]);
    expect(outbox.size).toBe(0);
    expect(calls.filter(([name]) => name !== "count").map(([name]) => name)).toEqual(["ack", "frame"]);
  });

  it("counts every text frame, reports what it can't use, and leaves pong and token answers to others", () => {
    const { calls, receive, dispatch } = setup();
    dispatch.message(1, "pong");
    dispatch.message(1, new ArrayBuffer(2));
    receive("not json");
    receive({ type: "hearth.token", ok: true, expiresAt: 5 });
    expect(calls).toEqual([
      ["error", "BAD_FRAME"],
      ["count", 8],
      ["error", "BAD_FRAME"],
      ["count", JSON.stringify({ type: "hearth.token", ok: true, expiresAt: 5 }).length],
      ["token", true],
    ]);
  });

  it("unpacks a batch and stops at an element that ended the connection", () => {
    const { calls, receive } = setup();
    receive({ type: "batch", frames: [{ type: "p" }, 3, { type: "p", end: true }, { type: "p" }] });
    expect(calls.map(([name, value]) => (name === "error" ? value : name))).toEqual(["count", "frame", "BAD_FRAME", "frame"]);
  });

  it("a delta with no base is an error and a reconnect, and moves nothing", () => {
    const { names, cursor, receive } = setup({ documents: true, from: { seq: 1, epoch: "e1" } });
    receive({ type: "doc", id: "d", seq: 2, epoch: "e1", delta: { field: "doc", base: 1, ops: [], sum: "x" } });
    expect(names()).toEqual(["count", "error", "reconnect"]);
    expect(cursor.position).toEqual({ seq: 1, epoch: "e1" });
  });
});
