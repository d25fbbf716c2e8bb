/** Where the client is in a room's log: the last applied seq of one history (epoch). */
export interface CursorPosition {
  readonly seq: number;
  readonly epoch: string;
}

/**
 * - "new": deliver it; the cursor moved to it.
 * - "duplicate": already delivered (a replay overlapping what arrived live); drop it.
 * - "other-stream": a frame of another stream this connection follows (a game the games
 *   socket follows, [S6]): deliver it; it is deduplicated by its own stream's seqs, and this
 *   connection's cursor doesn't move. (A reset of the connection's own room arrives as a
 *   snapshot, which moves the cursor.)
 */
export type Admission = "new" | "duplicate" | "other-stream";

/**
 * The resume bookkeeping, kept apart from sockets so it can be tested as plain
 * data. Seqs are per room and some frames are addressed to other users only, so
 * a client legitimately sees gaps (5, 7, 8): only "not greater than the last
 * one" means duplicate; a gap is never treated as loss here (the server's
 * replay is what guarantees completeness).
 */
export class ResumeCursor {
  private current: CursorPosition | undefined;
  /** The last seq delivered of each other stream (by its epoch) this connection follows. */
  private readonly others = new Map<string, number>();

  constructor(start?: CursorPosition) {
    this.current = start ? { seq: start.seq, epoch: start.epoch } : undefined;
  }

  get position(): CursorPosition | undefined {
    return this.current;
  }

  admit(seq: number, epoch: string): Admission {
    const current = this.current;
    if (current !== undefined) {
      if (epoch !== current.epoch) {
        const last = this.others.get(epoch);
        if (last !== undefined && seq <= last) return "duplicate";
        this.others.set(epoch, seq);
        return "other-stream";
      }
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
