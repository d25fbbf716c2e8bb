/**
 * Sorts a decoded server frame into what the SDK must do with it. Works for
 * both codec families (`{type, ...}` and `{event, data}`) because Hearth puts
 * its own fields (`seq`, `epoch`, `recovered`) at the top level of every frame
 * (src/protocol/codec.ts).
 */
export type FrameClass =
  /** Answer to a command id: settles that command, never touches the cursor. */
  | { kind: "ack"; id: string; seq?: number; duplicate?: boolean }
  /** An error frame naming a command id: that command was refused, not applied. */
  | { kind: "rejection"; id: string }
  /** End of a successful resume replay. */
  | { kind: "recovered"; seq?: number; epoch?: string }
  /** Full state: fresh connect (`recovered` absent) or resume fallback (`recovered: false`). */
  | { kind: "snapshot"; seq?: number; epoch?: string; recovered?: false; state: unknown }
  /** A frame from the room's log. */
  | { kind: "logged"; seq: number; epoch: string }
  /** Anything without seq+epoch (presence, personal replies, pong frames). */
  | { kind: "ephemeral" };

type Frame = Record<string, unknown>;

export function classifyFrame(frame: Frame): FrameClass {
  const name = typeof frame.type === "string" ? frame.type : typeof frame.event === "string" ? frame.event : undefined;
  const data = isObject(frame.data) ? frame.data : undefined;
  // Acks and rejections are checked first: an ack may carry the `seq` its command
  // produced, and letting that advance the cursor would make the real broadcast of
  // that seq look like a duplicate and be dropped.
  const id = stringField(frame, data, "id");
  if (name === "ack" && id !== undefined) {
    const ack: FrameClass = { kind: "ack", id };
    const seq = numberField(frame, data, "seq");
    if (seq !== undefined) ack.seq = seq;
    const duplicate = frame.duplicate ?? data?.duplicate;
    if (typeof duplicate === "boolean") ack.duplicate = duplicate;
    return ack;
  }
  if (name === "error" && id !== undefined) return { kind: "rejection", id };

  const seq = typeof frame.seq === "number" && Number.isFinite(frame.seq) ? frame.seq : undefined;
  const epoch = typeof frame.epoch === "string" ? frame.epoch : undefined;

  if (frame.recovered === true) {
    const marker: FrameClass = { kind: "recovered" };
    if (seq !== undefined) marker.seq = seq;
    if (epoch !== undefined) marker.epoch = epoch;
    return marker;
  }
  if (frame.recovered === false || name === "snapshot") {
    const state = "state" in frame ? frame.state : data?.state;
    const snap: FrameClass = { kind: "snapshot", state };
    if (seq !== undefined) snap.seq = seq;
    if (epoch !== undefined) snap.epoch = epoch;
    if (frame.recovered === false) snap.recovered = false;
    return snap;
  }
  if (seq !== undefined && epoch !== undefined) return { kind: "logged", seq, epoch };
  return { kind: "ephemeral" };
}

function isObject(value: unknown): value is Frame {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(frame: Frame, data: Frame | undefined, key: string): string | undefined {
  const value = frame[key] ?? data?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function numberField(frame: Frame, data: Frame | undefined, key: string): number | undefined {
  const value = frame[key] ?? data?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
