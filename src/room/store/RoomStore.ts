import type { Actor, CreateSpec } from "../../core/kind.ts";
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
  /** The object's own name, what other objects address it by (outbox senders); roomId when absent. */
  name?: string;
  /** Every committed input since creation (or the last reset) is in the journal ([J1]); absent on rooms older than it. */
  journal?: true;
  /** The last reset: the kind's state was initialised again then, by this user (replay starts there). */
  resetAt?: number;
  resetBy?: string;
}

/**
 * One committed input as the kind saw it: enough to apply it again through
 * the pure kind and get the same state ([J1], src/room/replay.ts). Inputs that
 * logged a frame are journaled too, state or not (the inspector shows them).
 * Rejected inputs and duplicates change nothing and are not journaled.
 */
export interface JournalRecord {
  /** The head after the input: its last logged seq, or the head it found when it logged nothing. */
  seq: number;
  /** The head before it: ctx.random was seeded with h + 1. */
  h: number;
  at: number;
  source: "socket" | "http" | "timer" | "object" | "presence";
  actor: Actor;
  conn: string | null;
  /** socket/http: the validated command; object: `{from, body}`; presence: `{kind, params}`; timer: null. */
  body: unknown;
}

export interface LogEntry {
  seq: number;
  at: number;
  /** The encoded frame as sent (with seq and epoch), so a replay re-sends text. */
  frame: string;
  /** User ids allowed to see it; null (and no `groups`) = everyone. */
  to: readonly string[] | null;
  /** Groups whose current members may see it too (Emit.groups); absent when none. */
  groups?: readonly string[];
}

/** A message waiting in the outbox until its receiver acknowledges it. */
export interface OutboxEntry {
  to: string;
  /** Per receiver: 1, 2, 3, ... in commit order. */
  seq: number;
  body: Record<string, unknown>;
  create?: CreateSpec;
  attempts: number;
  /** Not before this time (ms): the retry backoff. */
  nextAt: number;
}

export interface IdempotencyRecord {
  key: string;
  hash: string;
  response: string;
  at: number;
}

export interface Commit {
  /** The new state; absent when the input left it as it was (the stored state is not rewritten: [P9]). */
  state?: unknown;
  entries: readonly LogEntry[];
  idempotency?: IdempotencyRecord;
  commandId?: { userId: string; id: string; seq: number; at: number };
  presence?: { add?: readonly string[]; remove?: readonly string[] };
  /** The kind's timer: a time, null to clear, absent to keep. */
  wakeAt?: number | null;
  /** Messages to other objects; the store numbers them per receiver. */
  outbox?: readonly { to: string; body: Record<string, unknown>; create?: CreateSpec; at: number }[];
  /** The last message applied from a sender (receiver-side dedup). */
  inbox?: { from: string; seq: number };
  /** The input itself, for replay ([J1]). Stored beside the first log entry when it logged one (no extra row). */
  journal?: JournalRecord;
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
  /** Creates the room; the log starts empty at seq `head` (default 0: a shard created late starts at its root's head). */
  create(meta: RoomMeta, state: unknown, head?: number): void;
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
  /** The kind's pending timer, if any. */
  wakeAt(): number | null;
  /** The highest seq applied from `from` (0 if none). */
  inboxSeq(from: string): number;
  /** Undelivered messages, per receiver in seq order, at most `limit`. */
  outbox(limit: number): OutboxEntry[];
  /** [S8] Where the receiver `name` lives when a message created it inside another object (`<object>/<name>`), or null. */
  hostedAt(name: string): string | null;
  /** The receiver acknowledged (or the message is dropped): forget it. */
  outboxDone(to: string, seq: number): void;
  /** Delivery failed: count the attempt and wait until `nextAt`. */
  outboxRetry(to: string, seq: number, nextAt: number): void;
  /** Time of the oldest log entry (for age retention), or null when the log is empty. */
  oldestAt(): number | null;
  /** Drops old log entries, their journal records and dedup records. Idempotent. */
  trim(policy: RetentionPolicy): void;
  /** Journal records with from <= seq <= upto, in commit order, at most `limit`. */
  journal(upto: number, limit: number, from?: number): JournalRecord[];
  /** The highest seq whose journal records retention dropped (0: the journal is whole since creation or reset). */
  journalCut(): number;
  /** The room's saved operating figures (src/room/metrics.ts), as JSON; null when none were saved. */
  metrics(): string | null;
  /** Replaces them. Outside any commit: figures are not room data. */
  saveMetrics(json: string): void;
  /** Cuts history: empty log and journal, seq back to 0, new epoch (and `resetAt`/`resetBy` in meta), fresh state, nobody present. The outbox and inbox survive (what was promised to other objects still goes); the timer is cleared. */
  reset(epoch: string, state: unknown, by?: { at: number; userId: string }): void;
}
