import { MAX_TOKENS_PER_READ, refusedUntil, selectRevocations, type RevocationRow, type TokenIdentity } from "./revocations.ts";

/** Ops per D1 batch: a batch's statements each count as a D1 query, and a Worker invocation may make 1,000. */
export const MAX_OPS_PER_BATCH = 100;
/**
 * How long a batch may take before the room stops waiting for it: it counts as failed (logged,
 * its checks answer "not revoked", [V6]) and the next batch goes. Every connect of the room waits
 * behind the batch that is out, so one stuck D1 call must not hold them all. (Its writes may still
 * land later, after a later batch's: at worst a row left behind, [V7].)
 */
export const BATCH_TIMEOUT_MS = 10_000;
/** Rows per INSERT: four bound values a row, within D1's 100 a statement. */
const ROWS_PER_INSERT = 25;

/** A read's answer: until when a revocation refuses the token, or null (not revoked, or D1 failed: [V6]). */
type Read = { t: TokenIdentity; nowMs: number; done: (until: number | null) => void };
type Op =
  | ({ kind: "record"; room: string } & Read)
  | ({ kind: "check" } & Read)
  | { kind: "forget"; userId: string; jti: string; room: string; done: () => void };

/** What a failed batch carried (its log line). */
export interface BatchOps {
  records: number;
  checks: number;
  forgets: number;
}

/**
 * [V4] A room's rows in D1 `socket_rooms` (where the revoke route looks for a user's sockets),
 * written in order, one D1 batch at a time ([V8]). A record (the room's first socket of a user and
 * token) and, in the same batch, a read of the revocations that may refuse it: the batch is one D1
 * transaction, and the revoke route writes its row before it reads `socket_rooms`, so a connect
 * racing a revocation is seen by one side or the other. What is asked while a batch is out waits
 * and goes in the next one, so a storm of n connects costs a few batches, not n (each a D1 round
 * trip, and locally a D1 object's CPU: about 1 ms a connect before, bench/RESULTS.md). One batch at
 * a time also keeps a socket's forget after its record.
 */
export class SocketRoomLedger {
  readonly #db: D1Database;
  readonly #onError: (err: unknown, ops: BatchOps) => void;
  readonly #waiting: Op[] = [];
  #busy = false;

  readonly #timeoutMs: number;

  constructor(db: D1Database, onError: (err: unknown, ops: BatchOps) => void, timeoutMs = BATCH_TIMEOUT_MS) {
    this.#db = db;
    this.#onError = onError;
    this.#timeoutMs = timeoutMs;
  }

  /** Records (token, room); until when a revocation refuses the token (the room closes its sockets), or null. */
  record(t: TokenIdentity, room: string, nowMs: number): Promise<number | null> {
    return new Promise((done) => this.#add({ kind: "record", t, room, nowMs, done }));
  }

  /**
   * Whether a revocation refuses the token, read with whatever else is in the batch: the check a
   * connect gets when the worker left it to the room ([V5], authenticate's `deferRevocation`).
   */
  check(t: TokenIdentity, nowMs: number): Promise<number | null> {
    return new Promise((done) => this.#add({ kind: "check", t, nowMs, done }));
  }

  /** The room's last socket of (user, jti) closed. */
  forget(userId: string, jti: string | undefined, room: string): Promise<void> {
    return new Promise((done) => this.#add({ kind: "forget", userId, jti: jti ?? "", room, done }));
  }

  /** How many ops wait for a batch (tests). */
  get waiting(): number {
    return this.#waiting.length;
  }

  #add(op: Op): void {
    this.#waiting.push(op);
    if (!this.#busy) void this.#next();
  }

  async #next(): Promise<void> {
    this.#busy = true;
    while (this.#waiting.length > 0) {
      const ops = this.#waiting.splice(0, MAX_OPS_PER_BATCH);
      const reads = ops.filter((o): o is Extract<Op, { kind: "record" | "check" }> => o.kind !== "forget");
      let rows: RevocationRow[] = [];
      try {
        const statements = this.#statements(ops, reads);
        const results = await this.#withTimeout(this.#db.batch<RevocationRow>(statements.all));
        rows = results.slice(statements.firstRead).flatMap((r) => r.results ?? []);
      } catch (err) {
        // A write that failed is logged once per batch; its sockets stay open (revocation is a second line: [V6]).
        this.#onError(err, { records: ops.filter((o) => o.kind === "record").length, checks: ops.filter((o) => o.kind === "check").length, forgets: ops.filter((o) => o.kind === "forget").length });
      }
      for (const op of ops) {
        if (op.kind === "forget") op.done();
        else op.done(refusedUntil(rows, op.t, op.nowMs));
      }
    }
    this.#busy = false;
  }

  #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`D1 batch took over ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => {
      if (timer !== undefined) clearTimeout(timer);
    });
  }

  /** The batch's statements in op order (runs of records as multi-row INSERTs), then the reads, from `firstRead` on. */
  #statements(ops: Op[], reads: Extract<Op, { kind: "record" | "check" }>[]): { all: D1PreparedStatement[]; firstRead: number } {
    const all: D1PreparedStatement[] = [];
    let run: Extract<Op, { kind: "record" }>[] = [];
    const flush = () => {
      for (let i = 0; i < run.length; i += ROWS_PER_INSERT) {
        const rows = run.slice(i, i + ROWS_PER_INSERT);
        const sql = `INSERT OR IGNORE INTO socket_rooms (user_id, jti, room, since) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}`;
        all.push(this.#db.prepare(sql).bind(...rows.flatMap((r) => [r.t.sub, r.t.jti ?? "", r.room, r.nowMs])));
      }
      run = [];
    };
    for (const op of ops) {
      if (op.kind === "record") run.push(op);
      else if (op.kind === "forget") {
        flush();
        all.push(this.#db.prepare("DELETE FROM socket_rooms WHERE user_id = ? AND jti = ? AND room = ?").bind(op.userId, op.jti, op.room));
      }
    }
    flush();
    const writes = all.length;
    for (let i = 0; i < reads.length; i += MAX_TOKENS_PER_READ) {
      const chunk = reads.slice(i, i + MAX_TOKENS_PER_READ);
      all.push(selectRevocations(this.#db, chunk.map((r) => r.t), Math.min(...chunk.map((r) => r.nowMs))));
    }
    return { all, firstRead: writes };
  }
}
