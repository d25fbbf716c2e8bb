// Where `hearth tail` is in a room's log, and which frames it has already printed: the same
// bookkeeping as the SDK's ResumeCursor (packages/client/src/resumeCursor.ts), in plain JS so the CLI
// runs without a build. Seqs may skip (frames addressed to others), never go back in one epoch.

/** What a frame is to the follower (docs/protocol.md, "Frames Hearth adds"). */
export function frameClass(frame) {
  if (frame === null || typeof frame !== "object" || Array.isArray(frame)) return "ephemeral";
  const seq = typeof frame.seq === "number" && Number.isFinite(frame.seq) ? frame.seq : undefined;
  const epoch = typeof frame.epoch === "string" ? frame.epoch : undefined;
  const name = frame.type ?? frame.event;
  // An ack may carry the seq its command produced: it must not move the cursor.
  if (name === "ack" || name === "error") return "ephemeral";
  if (frame.recovered === true) return "recovered";
  if (frame.recovered === false || name === "snapshot") return "snapshot";
  if (seq !== undefined && epoch !== undefined) return "logged";
  return "ephemeral";
}

export class ResumeCursor {
  /** @type {{ seq: number, epoch: string } | undefined} */
  position = undefined;

  /**
   * Decides what to do with one frame and moves the cursor:
   * - "print": new (a logged frame past the cursor, a snapshot, an ephemeral frame);
   * - "duplicate": a logged frame at or before the cursor (a replay overlapping what was printed);
   * - "recovered": the end of a resume replay (the cursor moves to the log's head);
   * - "reset": a snapshot that replaced a history the cursor was in (a new epoch, or a gap too
   *   old to replay): what was printed before belongs to another history.
   */
  admit(frame) {
    const kind = frameClass(frame);
    const at = this.position;
    if (kind === "snapshot") {
      const reset = at !== undefined;
      if (typeof frame.seq === "number" && typeof frame.epoch === "string") this.position = { seq: frame.seq, epoch: frame.epoch };
      return reset ? "reset" : "print";
    }
    if (kind === "recovered") {
      if (typeof frame.seq === "number" && typeof frame.epoch === "string" && (at === undefined || at.epoch !== frame.epoch || frame.seq > at.seq)) {
        this.position = { seq: frame.seq, epoch: frame.epoch };
      }
      return "recovered";
    }
    if (kind === "logged") {
      if (at !== undefined && at.epoch === frame.epoch && frame.seq <= at.seq) return "duplicate";
      this.position = { seq: frame.seq, epoch: frame.epoch };
      return "print";
    }
    return "print";
  }

  /** The query that resumes after the cursor (`since`/`epoch`), or none before the first frame. */
  resumeParams() {
    return this.position === undefined ? {} : { since: String(this.position.seq), epoch: this.position.epoch };
  }
}
