import { batchElements } from "./batchElements.js";
import { classifyFrame } from "./classifyFrame.js";
import type { DocumentDeltas } from "./documentDeltas.js";
import type { FlowControlCursor } from "./flowControlCursor.js";
import { HearthClientError } from "./hearthClientError.js";
import type { HearthAck, HearthSnapshot, HearthSocketEvents } from "./hearthSocketTypes.js";
import type { Outbox } from "./outbox.js";
import type { ResumeCursor } from "./resumeCursor.js";
import { tokenAnswer } from "./tokenRefresh.js";
import type { TokenRefresher } from "./tokenRefresher.js";

type Frame = Record<string, unknown>;
/** The events the dispatch emits: what the room sent, in the app's terms. */
type DispatchEvent = "frame" | "snapshot" | "resumed" | "ack" | "error";

/**
 * What the dispatch may touch of its socket, and nothing more: the stores a frame updates, and
 * four questions and orders about the connection (it never sees the socket, the phase or the timers).
 */
export interface FrameDispatchTarget<In extends object> {
  /** The resume position: logged frames advance it, a snapshot resets it, the recovered marker moves it on. */
  readonly cursor: ResumeCursor;
  /** Commands awaiting an answer: an ack or a rejection settles one. */
  readonly outbox: Pick<Outbox, "settle">;
  /** [W1] The documents deltas are rebuilt against, when the app asked for deltas. */
  readonly documents: DocumentDeltas | undefined;
  /** [F1] Counts every text frame; learns the room's family. */
  readonly flowControl: Pick<FlowControlCursor, "count" | "noteFamily">;
  /** [K6] Takes the server's answer to a presented token. */
  readonly tokenRefresher: Pick<TokenRefresher, "answered">;
  emit<K extends DispatchEvent>(event: K, payload: HearthSocketEvents<In>[K]): void;
  /** Whether `generation` is still the connection (a batch element may have ended it). */
  isCurrent(generation: number): boolean;
  /** Whether the connection is still catching up: a fresh one awaiting its snapshot, a resume its replay's end. */
  catchingUp(): boolean;
  /** The catch-up ended (a snapshot or the recovered marker): the socket goes live. */
  caughtUp(generation: number): void;
  /** A delta could not be rebuilt: reconnect, resuming from the cursor. */
  reconnect(): void;
}

/**
 * Turns what a connection receives into the app's events: parses it, unpacks batches ([B1]),
 * rebuilds deltas ([W1]), drops duplicates, settles commands, and tells the socket when the
 * catch-up is over. The caller has checked the connection is current and noted it is alive.
 */
export class FrameDispatch<In extends object> {
  /** Logged frames of this connection's own stream delivered during its catch-up (for `resumed`). */
  private replayed = 0;

  constructor(private readonly target: FrameDispatchTarget<In>) {}

  /** A new connection opened: its catch-up counts from zero. */
  opened(): void {
    this.replayed = 0;
  }

  /** One WebSocket message of connection `generation`. */
  message(generation: number, data: unknown): void {
    const target = this.target;
    if (data === "pong") return;
    if (typeof data !== "string") {
      target.emit("error", new HearthClientError("BAD_FRAME", "Binary frames are not part of Hearth's protocol"));
      return;
    }
    // Every text frame the room sent counts, even one the SDK can't use.
    target.flowControl.count(generation, data);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      target.emit("error", new HearthClientError("BAD_FRAME", "Frame is not a JSON object", data));
      return;
    }
    const frame = parsed as Frame;
    target.flowControl.noteFamily(frame);
    const batch = batchElements(frame);
    if (batch === undefined) {
      this.frame(generation, frame);
      return;
    }
    for (const element of batch) {
      // An element may end this connection (an epoch change reconnects): the rest belongs to it.
      if (!target.isCurrent(generation)) return;
      if (typeof element !== "object" || element === null || Array.isArray(element)) {
        target.emit("error", new HearthClientError("BAD_FRAME", "Batch element is not a JSON object", element));
        continue;
      }
      this.frame(generation, element as Frame);
    }
  }

  /** One frame, alone on the wire or out of a batch. */
  private frame(generation: number, frame: Frame): void {
    const target = this.target;
    const answer = tokenAnswer(frame);
    if (answer) {
      target.tokenRefresher.answered(generation, answer);
      return;
    }
    if (target.documents?.isDelta(frame)) {
      const full = this.rebuildDelta(target.documents, frame);
      if (!full) return;
      frame = full;
    }
    const kind = classifyFrame(frame);
    switch (kind.kind) {
      case "ack": {
        const ack: HearthAck = { id: kind.id, frame };
        if (kind.seq !== undefined) ack.seq = kind.seq;
        if (kind.duplicate !== undefined) ack.duplicate = kind.duplicate;
        target.outbox.settle(kind.id)?.onAck?.(ack);
        target.emit("ack", ack);
        return;
      }
      case "rejection": {
        const entry = target.outbox.settle(kind.id);
        entry?.onFail?.(new HearthClientError("COMMAND_REJECTED", `Server rejected command ${kind.id}`, frame));
        target.emit("frame", frame as In);
        return;
      }
      case "recovered": {
        target.cursor.markRecovered(kind.seq, kind.epoch);
        if (!target.catchingUp()) return;
        target.emit("resumed", { replayed: this.replayed });
        target.caughtUp(generation);
        return;
      }
      case "snapshot": {
        if (kind.seq !== undefined && kind.epoch !== undefined) target.cursor.reset(kind.seq, kind.epoch);
        const snapshot: HearthSnapshot<In> = { state: kind.state, frame: frame as In };
        if (kind.seq !== undefined) snapshot.seq = kind.seq;
        if (kind.epoch !== undefined) snapshot.epoch = kind.epoch;
        if (kind.recovered === false) snapshot.recovered = false;
        target.emit("snapshot", snapshot);
        if (target.catchingUp()) target.caughtUp(generation);
        return;
      }
      case "logged": {
        const admission = target.cursor.admit(kind.seq, kind.epoch);
        if (admission === "duplicate") return;
        // A frame of another stream this connection follows ([S6]) is the app's, and counts for no replay.
        if (target.catchingUp() && admission === "new") this.replayed++;
        target.documents?.remember(frame);
        target.emit("frame", frame as In);
        return;
      }
      case "ephemeral":
        target.emit("frame", frame as In);
        return;
    }
  }

  /**
   * [W1] The full frame a delta stands for; undefined when it was a duplicate (dropped) or could
   * not be rebuilt: then the cursor still stands before it, and a reconnect from the cursor gets
   * the stored full frame in the replay (the server sends a socket deltas only against a document
   * it sent that socket live).
   */
  private rebuildDelta(documents: DocumentDeltas, frame: Frame): Frame | undefined {
    const at = this.target.cursor.position;
    if (at && frame.epoch === at.epoch && typeof frame.seq === "number" && frame.seq <= at.seq) return undefined;
    const rebuilt = documents.rebuild(frame);
    if (rebuilt.ok) return rebuilt.frame;
    this.target.emit("error", new HearthClientError(rebuilt.code, rebuilt.message, frame));
    this.target.reconnect();
    return undefined;
  }
}
