/**
 * The storage port of a room. Two implementations (SQLite in the Durable
 * Object, memory for plain tests) pass one contract suite
 * (roomStoreContract.ts). Every method is synchronous: DO SQLite is, and the
 * output gate holds outgoing frames until the write is durable.
 */

export interface RoomMeta {
  roomId: string;
  kind: string;
  config: Record<string, unknown>;
  /** Changes only when history is cut in a way a cursor can't bridge (reset). */
  epoch: string;
  /** Seeds ctx.random so a room's log replays to the same results. */
  seed: number;
  createdAt: number;
  createdBy: string;
}

export interface LogEntry {
  seq: number;
  at: number;
  /** The encoded frame as sent (with seq and epoch), so a replay re-sends text. */
  frame: string;
  /** User ids allowed to see it; null = everyone. */
  to: readonly string[] | null;
}

export interface IdempotencyRecord {
  key: string;
  hash: string;
  response: string;
  at: number;
}

export interface Commit {
  state: unknown;
  entries: readonly LogEntry[];
  idempotency?: IdempotencyRecord;
  commandId?: { userId: string; id: string; seq: number; at: number };
  presence?: { add?: readonly string[]; remove?: readonly string[] };
}

export interface RetentionPolicy {
  now: number;
  maxEntries: number;
  maxAgeMs: number;
  /** Idempotency keys and command ids older than this are forgotten. */
  dedupTtlMs: number;
}

export interface RoomStore {
  meta(): RoomMeta | null;
  /** Creates the room; the log starts empty at seq 0. */
  create(meta: RoomMeta, state: unknown): void;
  state(): unknown;
  /** Last committed seq (0 when nothing was logged yet). */
  head(): number;
  /** Oldest seq still in the log, or head + 1 when the log is empty. */
  tail(): number;
  /** Atomic: state, log entries, idempotency record, command id, presence. */
  commit(commit: Commit): void;
  /** Entries with seq > after, ascending, at most `limit`. */
  entriesAfter(after: number, limit: number): LogEntry[];
  /** Entries with seq < before, newest first, at most `limit` (history paging). */
  entriesBefore(before: number, limit: number): LogEntry[];
  idempotency(key: string): IdempotencyRecord | null;
  /** The seq a client command id was applied at, if seen. */
  commandSeq(userId: string, id: string): number | null;
  presence(): string[];
  /** Drops old log entries and dedup records. Idempotent. */
  trim(policy: RetentionPolicy): void;
  /** Cuts history: empty log, seq back to 0, new epoch, fresh state, nobody present. */
  reset(epoch: string, state: unknown): void;
}
