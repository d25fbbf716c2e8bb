import { describe, expect, it } from "vitest";
import { classifyFrame } from "./classifyFrame.js";

describe("classifyFrame, type family", () => {
  it("logged frames carry numeric seq and string epoch", () => {
    expect(classifyFrame({ type: "runtime_delta", deltas: [], seq: 7, epoch: "e1" })).toEqual({ kind: "logged", seq: 7, epoch: "e1" });
  });
  it("frames without both seq and epoch are ephemeral", () => {
    expect(classifyFrame({ type: "presence" })).toEqual({ kind: "ephemeral" });
    expect(classifyFrame({ type: "x", seq: 3 })).toEqual({ kind: "ephemeral" });
    expect(classifyFrame({ type: "x", seq: "3", epoch: "e" })).toEqual({ kind: "ephemeral" });
  });
  it("acks with an id are acks even when they carry a seq (they must not move the cursor)", () => {
    expect(classifyFrame({ type: "ack", id: "c1", seq: 9, epoch: "e1", duplicate: true })).toEqual({
      kind: "ack",
      id: "c1",
      seq: 9,
      duplicate: true,
    });
  });
  it("seed 003's ack without id is an ordinary frame", () => {
    expect(classifyFrame({ type: "ack", message: "Message received" })).toEqual({ kind: "ephemeral" });
  });
  it("an error naming an id is a rejection", () => {
    expect(classifyFrame({ type: "error", code: "NOT_YOUR_TURN", message: "no", id: "c2" })).toEqual({ kind: "rejection", id: "c2" });
    expect(classifyFrame({ type: "error", code: "X", message: "no" })).toEqual({ kind: "ephemeral" });
  });
  it("recovered marker", () => {
    expect(classifyFrame({ type: "recovered", recovered: true, seq: 12, epoch: "e1" })).toEqual({ kind: "recovered", seq: 12, epoch: "e1" });
  });
  it("fallback snapshot and fresh snapshot", () => {
    expect(classifyFrame({ type: "snapshot", seq: 40, epoch: "e2", recovered: false, state: { a: 1 } })).toEqual({
      kind: "snapshot",
      seq: 40,
      epoch: "e2",
      recovered: false,
      state: { a: 1 },
    });
    expect(classifyFrame({ type: "snapshot", seq: 40, epoch: "e2", state: 5 })).toEqual({ kind: "snapshot", seq: 40, epoch: "e2", state: 5 });
  });
});

describe("classifyFrame, event family", () => {
  it("logged", () => {
    expect(classifyFrame({ event: "chat_message", data: { message: "hi" }, seq: 3, epoch: "e" })).toEqual({ kind: "logged", seq: 3, epoch: "e" });
  });
  it("recovered marker", () => {
    expect(classifyFrame({ event: "recovered", data: {}, recovered: true, seq: 3, epoch: "e" })).toEqual({ kind: "recovered", seq: 3, epoch: "e" });
  });
  it("snapshot state sits in data", () => {
    expect(classifyFrame({ event: "snapshot", data: { state: { players: [] } }, seq: 3, epoch: "e", recovered: false })).toEqual({
      kind: "snapshot",
      seq: 3,
      epoch: "e",
      recovered: false,
      state: { players: [] },
    });
  });
  it("ack and rejection ids may sit in data", () => {
    expect(classifyFrame({ event: "ack", data: { id: "c1", seq: 4 } })).toEqual({ kind: "ack", id: "c1", seq: 4 });
    expect(classifyFrame({ event: "error", data: { message: "Only DM can send narration", id: "c9" } })).toEqual({ kind: "rejection", id: "c9" });
  });
});
