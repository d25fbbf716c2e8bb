import { hostedRoomOf } from "../../core/objectName.ts";
import type { Commit, OutboxEntry } from "./RoomStore.ts";

/** Past this many pending messages the outbox is not mirrored in memory: it is read a batch at a time (a receiver down for an hour). */
const MIRROR_MAX = 1_000;

/** A message as its row holds it: the body (and creation spec) as stored text, parsed on each read as a row would be. */
interface Pending {
  to: string;
  seq: number;
  body: string;
  spec: string | null;
  attempts: number;
  nextAt: number;
}

/** What a commit wrote, applied to the caches once its transaction is done (a rolled-back one leaves them as they were). */
export interface StagedMessages {
  sent: Map<string, number>;
  added: Pending[];
  inbox?: { from: string; seq: number };
}

/**
 * A room's messages to and from other objects in its SQLite (sqliteRoomStore.ts): the outbox
 * (waiting until their receiver acknowledges them), `peers` (the last seq sent to each receiver),
 * `inbox` (the last seq applied from each sender) and `hosts` (receivers created inside another
 * object). Only this room writes these rows, so what it read or wrote once it knows afterwards:
 * a sender numbers its next message, a receiver dedups the next one, and the outbox is read after
 * every delivery, each without a read of its table (issue 26: a game's life is ten messages, and
 * each cost five reads of rows the object had just written).
 */
export class MessageRows {
  readonly #sql: SqlStorage;
  /** Last seq sent per receiver, as far as read or written. */
  readonly #sent = new Map<string, number>();
  /** Last seq applied per sender, as far as read or written. */
  readonly #inbox = new Map<string, number>();
  /** Every pending message, by receiver then seq; undefined when not known whole (not read yet, or more than MIRROR_MAX). */
  #pending: Pending[] | undefined;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** Inside the commit's transaction: numbers and stores its messages and its inbox mark. */
  write(commit: Pick<Commit, "outbox" | "inbox">): StagedMessages {
    const staged: StagedMessages = { sent: new Map(), added: [] };
    for (const m of commit.outbox ?? []) {
      const seq = (staged.sent.get(m.to) ?? this.#sentTo(m.to)) + 1;
      staged.sent.set(m.to, seq);
      this.#sql.exec("INSERT OR REPLACE INTO peers (receiver, sent) VALUES (?, ?)", m.to, seq);
      // [S8] A receiver hosted in another object: later messages to its name find it here.
      if (seq === 1 && m.to.includes("/")) this.#sql.exec("INSERT OR IGNORE INTO hosts (name, address) VALUES (?, ?)", hostedRoomOf(m.to), m.to);
      const row: Pending = { to: m.to, seq, body: JSON.stringify(m.body), spec: m.create ? JSON.stringify(m.create) : null, attempts: 0, nextAt: m.at };
      this.#sql.exec("INSERT INTO outbox (receiver, seq, body, spec, attempts, next_at) VALUES (?, ?, ?, ?, 0, ?)", row.to, row.seq, row.body, row.spec, row.nextAt);
      staged.added.push(row);
    }
    if (commit.inbox) {
      this.#sql.exec("INSERT OR REPLACE INTO inbox (sender, seq) VALUES (?, ?)", commit.inbox.from, commit.inbox.seq);
      staged.inbox = commit.inbox;
    }
    return staged;
  }

  /** The commit that staged these is durable (its transaction returned). */
  committed(staged: StagedMessages): void {
    for (const [to, seq] of staged.sent) this.#sent.set(to, seq);
    if (staged.inbox) this.#inbox.set(staged.inbox.from, staged.inbox.seq);
    if (!this.#pending || !staged.added.length) return;
    this.#pending.push(...staged.added);
    if (this.#pending.length > MIRROR_MAX) this.#pending = undefined;
    else this.#pending.sort(byReceiverAndSeq);
  }

  #sentTo(to: string): number {
    let sent = this.#sent.get(to);
    if (sent === undefined) {
      const row = this.#sql.exec("SELECT sent FROM peers WHERE receiver = ?", to).toArray()[0];
      this.#sent.set(to, (sent = row ? Number(row.sent) : 0));
    }
    return sent;
  }

  inboxSeq(from: string): number {
    let seq = this.#inbox.get(from);
    if (seq === undefined) {
      const row = this.#sql.exec("SELECT seq FROM inbox WHERE sender = ?", from).toArray()[0];
      this.#inbox.set(from, (seq = row ? Number(row.seq) : 0));
    }
    return seq;
  }

  hostedAt(name: string): string | null {
    const row = this.#sql.exec<{ address: string }>("SELECT address FROM hosts WHERE name = ?", name).toArray()[0];
    return row ? row.address : null;
  }

  outbox(limit: number): OutboxEntry[] {
    let rows = this.#pending;
    if (!rows) {
      rows = this.#sql
        .exec<{ receiver: string; seq: number; body: string; spec: string | null; attempts: number; next_at: number }>(
          "SELECT receiver, seq, body, spec, attempts, next_at FROM outbox ORDER BY receiver, seq LIMIT ?",
          limit,
        )
        .toArray()
        .map((r) => ({ to: r.receiver, seq: Number(r.seq), body: r.body, spec: r.spec, attempts: Number(r.attempts), nextAt: Number(r.next_at) }));
      // Fewer than asked for is all of them: mirrored from now on.
      if (rows.length < limit) this.#pending = rows;
    }
    return rows.slice(0, limit).map((r) => ({
      to: r.to,
      seq: r.seq,
      body: JSON.parse(r.body) as Record<string, unknown>,
      ...(r.spec === null ? {} : { create: JSON.parse(r.spec) as OutboxEntry["create"] & object }),
      attempts: r.attempts,
      nextAt: r.nextAt,
    }));
  }

  outboxDone(to: string, seq: number): void {
    this.#sql.exec("DELETE FROM outbox WHERE receiver = ? AND seq = ?", to, seq);
    if (this.#pending) this.#pending = this.#pending.filter((r) => r.to !== to || r.seq !== seq);
  }

  outboxRetry(to: string, seq: number, nextAt: number): void {
    this.#sql.exec("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE receiver = ? AND seq = ?", nextAt, to, seq);
    const r = this.#pending?.find((p) => p.to === to && p.seq === seq);
    if (r) {
      r.attempts += 1;
      r.nextAt = nextAt;
    }
  }
}

/** SQLite's order for `ORDER BY receiver, seq` (names are ASCII object names: code-unit order is byte order). */
function byReceiverAndSeq(a: Pending, b: Pending): number {
  return a.to < b.to ? -1 : a.to > b.to ? 1 : a.seq - b.seq;
}
