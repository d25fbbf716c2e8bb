/** Where the client is in a room's log: the last applied seq of one history (epoch). */
export interface CursorPosition {
  readonly seq: number;
  readonly epoch: string;
}

/**
 * - "new": deliver it; the cursor moved to it.
 * - "duplicate": already delivered (a replay overlapping what arrived live); drop it.
 * - "epoch-changed": the room's history was reset; the app's state is from a
 *   history that no longer exists, so the caller must resynchronise.
 */
export type Admission = "new" | "duplicate" | "epoch-changed";

/**
 * The resume bookkeeping, kept apart from sockets so it can be tested as plain
 * data. Seqs are per room and some frames are addressed to other users only, so
 * a client legitimately sees gaps (5, 7, 8): only "not greater than the last
 * one" means duplicate; a gap is never treated as loss here (the server's
 * replay is what guarantees completeness).
 */
export class ResumeCursor {
  private current: CursorPosition | undefined;

  constructor(start?: CursorPosition) {
    this.current = start ? { seq: start.seq, epoch: start.epoch } : undefined;
  }

  get position(): CursorPosition | undefined {
    return this.current;
  }

  admit(seq: number, epoch: string): Admission {
    const current = this.current;
    if (current !== undefined) {
      if (epoch !== current.epoch) return "epoch-changed";
      if (seq <= current.seq) return "duplicate";
    }
    this.current = { seq, epoch };
    return "new";
  }

  /** A snapshot replaces everything before it, whatever seq/epoch we had. */
  reset(seq: number, epoch: string): void {
    this.current = { seq, epoch };
  }

  /**
   * The `recovered` marker carries the head of the log. Frames for other users
   * are not replayed to us, so the head can be past our last delivered frame;
   * moving there keeps the next resume request short. Never moves backwards.
   */
  markRecovered(seq: number | undefined, epoch: string | undefined): void {
    if (seq === undefined || epoch === undefined) return;
    const current = this.current;
    if (current === undefined || current.epoch !== epoch || seq > current.seq) {
      this.current = { seq, epoch };
    }
  }

  clear(): void {
    this.current = undefined;
  }
}
