import { hostedSql } from "./hostedSql.ts";
import { joinState, settled, splitState, type Split } from "./keyedState.ts";
import { MessageRows } from "./messageRows.ts";
import type { Commit, IdempotencyRecord, JournalRecord, LogEntry, OutboxEntry, RetentionPolicy, RoomMeta, RoomStore } from "./RoomStore.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS room (id INTEGER PRIMARY KEY CHECK (id = 1), meta TEXT NOT NULL, state TEXT NOT NULL, head INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, frame TEXT NOT NULL, audience TEXT)`,
  `CREATE TABLE IF NOT EXISTS idem (key TEXT PRIMARY KEY, hash TEXT NOT NULL, response TEXT NOT NULL, at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS cmd (user_id TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (user_id, id))`,
  `CREATE TABLE IF NOT EXISTS presence (user_id TEXT PRIMARY KEY)`,
  `CREATE TABLE IF NOT EXISTS timer (id INTEGER PRIMARY KEY CHECK (id = 1), wake_at INTEGER)`,
  `CREATE TABLE IF NOT EXISTS outbox (receiver TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, spec TEXT, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, PRIMARY KEY (receiver, seq))`,
  `CREATE TABLE IF NOT EXISTS peers (receiver TEXT PRIMARY KEY, sent INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS inbox (sender TEXT PRIMARY KEY, seq INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS metrics (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)`,
  // Inputs that logged no frame (a state change without a broadcast, a quiet presence change): [J1].
  `CREATE TABLE IF NOT EXISTS journal (n INTEGER PRIMARY KEY, seq INTEGER NOT NULL, input TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS marks (k TEXT PRIMARY KEY, v INTEGER NOT NULL)`,
  // [S8] The receivers this room's messages created inside other objects, by name.
  `CREATE TABLE IF NOT EXISTS hosts (name TEXT PRIMARY KEY, address TEXT NOT NULL)`,
  // [P10] The state's keyed fields (Kind.keyedFields), one row per key (keyedState.ts).
  `CREATE TABLE IF NOT EXISTS state_keyed (field TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, key)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS journal_seq ON journal (seq)`,
  `CREATE INDEX IF NOT EXISTS idem_at ON idem (at)`,
  `CREATE INDEX IF NOT EXISTS cmd_at ON cmd (at)`,
];

/**
 * Changes to tables that already exist in stored objects, in order; `marks.schema` says how many
 * ran. (CREATE TABLE IF NOT EXISTS covers new tables; a new column needs a step here.) A change
 * here or in SCHEMA is made to HOSTED_SCHEMA too (hostedSchema.ts: hosted rooms' shared tables).
 */
const MIGRATIONS = [
  // [J1] the input that produced a log entry rides on its first entry's row: no extra row per event.
  `ALTER TABLE log ADD COLUMN input TEXT`,
  // An input's dedup record (Idempotency-Key or command id) rides on its first log row, as the raw
  // DO's unique column does: one row written per event instead of two. `dkey` is `i\0<key>` or
  // `c\0<user>\0<id>`; `dhash` the body hash (keys only); `dval` the stored answer or the seq.
  `ALTER TABLE log ADD COLUMN dkey TEXT`,
  `ALTER TABLE log ADD COLUMN dhash TEXT`,
  `ALTER TABLE log ADD COLUMN dval TEXT`,
  `CREATE INDEX IF NOT EXISTS log_dkey ON log (dkey) WHERE dkey IS NOT NULL`,
];

/** Durable Object SQLite binds at most 100 parameters per statement; a log row takes 8 (a hosted room binds its number once more: 97). */
const LOG_ROWS_PER_INSERT = 12;
const insertLogSql: string[] = [];
/** `INSERT INTO log ...` with `rows` rows of values (the text built once per row count). */
function insertLog(rows: number): string {
  return (insertLogSql[rows] ??= `INSERT INTO log (seq, at, frame, audience, input, dkey, dhash, dval) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`);
}

const idemKey = (key: string) => `i\u0000${key}`;
const cmdKey = (userId: string, id: string) => `c\u0000${userId}\u0000${id}`;

type Row = Record<string, SqlStorageValue>;

export interface SqliteRoomStoreOptions {
  /** [P10] The fields of a kind's state stored one row per key (Kind.keyedFields), by kind name. */
  keyedFields?: (kind: string) => readonly string[];
  /** [S8] A room hosted inside another object: its number there (its rows in the shared tables, hostedSql.ts); absent: the object's own room. */
  hostedRoom?: number;
}

/**
 * RoomStore over the Durable Object's SQLite. Meta and head are cached: they
 * change only through this object, so the hot path never reads them back.
 */
export class SqliteRoomStore implements RoomStore {
  #sql: SqlStorage;
  #storage: DurableObjectStorage;
  #meta: RoomMeta | null | undefined;
  #head = 0;
  /** Oldest seq in the log (head + 1 when empty); undefined until read. Changes only by commit, trim and reset. */
  #tail: number | undefined;
  readonly #keyedFields: (kind: string) => readonly string[];
  /** [P10] What the state row holds now (the JSON of the state's rest) and each keyed field's record: a commit writes only what differs. Undefined: not known (read or written) yet. */
  #stored: Pick<Split, "rest" | "stored"> | undefined;
  /** The outbox, peers, inbox and hosts rows, and what this room knows of them. */
  readonly #messages: MessageRows;

  constructor(storage: DurableObjectStorage, options: SqliteRoomStoreOptions = {}) {
    this.#storage = storage;
    this.#keyedFields = options.keyedFields ?? (() => []);
    this.#sql = options.hostedRoom === undefined ? storage.sql : hostedSql(storage.sql, options.hostedRoom);
    this.#messages = new MessageRows(this.#sql);
    // A hosted room's tables are the object's shared ones, created current (hostedSql.ts).
    if (options.hostedRoom !== undefined) return;
    for (const statement of SCHEMA) this.#sql.exec(statement);
    const ran = this.#mark("schema");
    if (ran < MIGRATIONS.length) {
      storage.transactionSync(() => {
        for (const statement of MIGRATIONS.slice(ran)) this.#sql.exec(statement);
        this.#setMark("schema", MIGRATIONS.length);
      });
    }
  }

  #mark(k: string): number {
    const row = this.#sql.exec("SELECT v FROM marks WHERE k = ?", k).toArray()[0];
    return row ? Number(row.v) : 0;
  }

  #setMark(k: string, v: number): void {
    this.#sql.exec("INSERT INTO marks (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }

  #row(): Row | undefined {
    return this.#sql.exec("SELECT meta, head FROM room WHERE id = 1").toArray()[0];
  }

  meta(): RoomMeta | null {
    if (this.#meta === undefined) {
      const row = this.#row();
      this.#meta = row ? (JSON.parse(row.meta as string) as RoomMeta) : null;
      this.#head = row ? Number(row.head) : 0;
    }
    return this.#meta;
  }

  create(meta: RoomMeta, state: unknown, head = 0): void {
    const split = splitState(state, this.#keyedFields(meta.kind), new Map());
    this.#storage.transactionSync(() => {
      this.#sql.exec("INSERT INTO room (id, meta, state, head) VALUES (1, ?, ?, ?)", JSON.stringify(meta), split.rest, head);
      this.#writeRows(split);
    });
    this.#keep(split);
    this.#meta = meta;
    this.#head = head;
    this.#tail = head + 1;
  }

  metrics(): string | null {
    const row = this.#sql.exec("SELECT data FROM metrics WHERE id = 1").toArray()[0];
    return row ? (row.data as string) : null;
  }

  saveMetrics(json: string): void {
    this.#sql.exec("INSERT INTO metrics (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data", json);
  }

  state(): unknown {
    const row = this.#sql.exec("SELECT state FROM room WHERE id = 1").toArray()[0];
    if (!row) return null;
    const rest = row.state as string;
    const { state, stored } = joinState(JSON.parse(rest), this.#fields(), (field) =>
      this.#sql.exec<{ key: string; value: string }>("SELECT key, value FROM state_keyed WHERE field = ?", field).raw() as Iterable<[string, string]>,
    );
    this.#stored = { rest, stored };
    return state;
  }

  #fields(): readonly string[] {
    const meta = this.meta();
    return meta ? this.#keyedFields(meta.kind) : [];
  }

  /** [P10] A keyed field's changed rows (the caller holds the transaction). */
  #writeRows(split: Split): void {
    for (const { field, clear, put, drop } of split.rows) {
      if (clear) this.#sql.exec("DELETE FROM state_keyed WHERE field = ?", field);
      for (const key of drop) this.#sql.exec("DELETE FROM state_keyed WHERE field = ? AND key = ?", field, key);
      for (const [key, value] of put) this.#sql.exec("INSERT OR REPLACE INTO state_keyed (field, key, value) VALUES (?, ?, ?)", field, key, value);
    }
  }

  head(): number {
    this.meta();
    return this.#head;
  }

  tail(): number {
    // Read on every connect's catch-up: answered from the cache after the first time.
    if (this.#tail === undefined) {
      const row = this.#sql.exec("SELECT MIN(seq) AS s FROM log").toArray()[0];
      this.#tail = row?.s == null ? this.head() + 1 : Number(row.s);
    }
    return this.#tail;
  }

  commit(commit: Commit): void {
    let head = this.head();
    const input = commit.journal ? JSON.stringify(commit.journal) : null;
    const first = commit.entries[0];
    // The dedup record rides on the first log row when it has the row's time (what trim keys on).
    const idem = commit.idempotency;
    const cmd = commit.commandId;
    const ride = !first ? null : idem && idem.at === first.at ? ("idem" as const) : !idem && cmd && cmd.at === first.at ? ("cmd" as const) : null;
    const wasEmpty = this.#tail !== undefined && this.#tail > head;
    // [P10] Only the keyed entries that changed, and the rest of the state if it changed.
    const split = commit.state === undefined ? undefined : splitState(commit.state, this.#fields(), this.#stored?.stored ?? new Map());
    const restChanged = split !== undefined && split.rest !== this.#stored?.rest;
    const messages = this.#storage.transactionSync(() => {
      // One statement for up to LOG_ROWS_PER_INSERT rows: an input's frames (a roll logs 2-3) cost one exec, not one each.
      const values: SqlStorageValue[] = [];
      let rows = 0;
      for (const [i, e] of commit.entries.entries()) {
        const d = i !== 0 || !ride ? null : ride === "idem" ? [idemKey(idem!.key), idem!.hash, idem!.response] : [cmdKey(cmd!.userId, cmd!.id), null, String(cmd!.seq)];
        values.push(e.seq, e.at, e.frame, encodeAudience(e), i === 0 ? input : null, d?.[0] ?? null, d?.[1] ?? null, d?.[2] ?? null);
        head = e.seq;
        if (++rows === LOG_ROWS_PER_INSERT) {
          this.#sql.exec(insertLog(rows), ...values);
          values.length = 0;
          rows = 0;
        }
      }
      if (rows > 0) this.#sql.exec(insertLog(rows), ...values);
      if (input !== null && commit.entries.length === 0) this.#sql.exec("INSERT INTO journal (seq, input) VALUES (?, ?)", commit.journal!.seq, input);
      // An input that left the state as it was (an outbox message, a dedup record) doesn't rewrite it ([P9]).
      if (split) this.#writeRows(split);
      if (restChanged) this.#sql.exec("UPDATE room SET state = ?, head = ? WHERE id = 1", split.rest, head);
      else if (commit.entries.length) this.#sql.exec("UPDATE room SET head = ? WHERE id = 1", head);
      if (idem && ride !== "idem") {
        this.#sql.exec("INSERT OR REPLACE INTO idem (key, hash, response, at) VALUES (?, ?, ?, ?)", idem.key, idem.hash, idem.response, idem.at);
      }
      if (cmd && ride !== "cmd") this.#sql.exec("INSERT OR REPLACE INTO cmd (user_id, id, seq, at) VALUES (?, ?, ?, ?)", cmd.userId, cmd.id, cmd.seq, cmd.at);
      for (const u of commit.presence?.add ?? []) this.#sql.exec("INSERT OR IGNORE INTO presence (user_id) VALUES (?)", u);
      for (const u of commit.presence?.remove ?? []) this.#sql.exec("DELETE FROM presence WHERE user_id = ?", u);
      if (commit.wakeAt !== undefined) this.#sql.exec("INSERT OR REPLACE INTO timer (id, wake_at) VALUES (1, ?)", commit.wakeAt);
      return this.#messages.write(commit);
    });
    this.#messages.committed(messages);
    if (split) this.#keep(split);
    this.#head = head;
    if (first && wasEmpty) this.#tail = first.seq;
  }

  /** What storage holds now: the next commit diffs against it, and the records it was made from are let go. */
  #keep(split: Split): void {
    this.#stored = split;
    settled(split.stored);
  }

  entriesAfter(after: number, limit: number): LogEntry[] {
    return this.#sql.exec("SELECT seq, at, frame, audience FROM log WHERE seq > ? ORDER BY seq ASC LIMIT ?", after, limit).toArray().map(toEntry);
  }

  entriesBefore(before: number, limit: number): LogEntry[] {
    return this.#sql.exec("SELECT seq, at, frame, audience FROM log WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit).toArray().map(toEntry);
  }

  // One read either way: the record on its log row, or in its own table (no log row, or moved there by trim/reset).
  idempotency(key: string): IdempotencyRecord | null {
    const row = this.#sql
      .exec("SELECT hash, response, at FROM idem WHERE key = ?1 UNION ALL SELECT dhash, dval, at FROM log WHERE dkey = ?2 LIMIT 1", key, idemKey(key))
      .toArray()[0];
    return row ? { key, hash: row.hash as string, response: row.response as string, at: Number(row.at) } : null;
  }

  commandSeq(userId: string, id: string): number | null {
    const row = this.#sql
      .exec("SELECT seq FROM cmd WHERE user_id = ?1 AND id = ?2 UNION ALL SELECT dval FROM log WHERE dkey = ?3 LIMIT 1", userId, id, cmdKey(userId, id))
      .toArray()[0];
    return row ? Number(row.seq) : null;
  }

  /** Dedup records riding on log rows that are about to go (`where`: those rows) move to their own tables. */
  #keepDedup(where: string, ...args: SqlStorageValue[]): void {
    const rows = this.#sql.exec(`SELECT dkey, dhash, dval, at FROM log WHERE dkey IS NOT NULL AND (${where})`, ...args).toArray();
    for (const r of rows) {
      const rest = (r.dkey as string).slice(2);
      if ((r.dkey as string)[0] === "i") this.#sql.exec("INSERT OR REPLACE INTO idem (key, hash, response, at) VALUES (?, ?, ?, ?)", rest, r.dhash, r.dval, r.at);
      else {
        // User ids are printable (from tokens); the command id may contain anything after the first separator.
        const cut = rest.indexOf("\u0000");
        this.#sql.exec("INSERT OR REPLACE INTO cmd (user_id, id, seq, at) VALUES (?, ?, ?, ?)", rest.slice(0, cut), rest.slice(cut + 1), Number(r.dval), r.at);
      }
    }
  }

  presence(): string[] {
    return this.#sql.exec("SELECT user_id FROM presence ORDER BY user_id").toArray().map((r) => r.user_id as string);
  }

  wakeAt(): number | null {
    const row = this.#sql.exec("SELECT wake_at FROM timer WHERE id = 1").toArray()[0];
    return row?.wake_at == null ? null : Number(row.wake_at);
  }

  inboxSeq(from: string): number {
    return this.#messages.inboxSeq(from);
  }

  hostedAt(name: string): string | null {
    return this.#messages.hostedAt(name);
  }

  outbox(limit: number): OutboxEntry[] {
    return this.#messages.outbox(limit);
  }

  outboxDone(to: string, seq: number): void {
    this.#messages.outboxDone(to, seq);
  }

  outboxRetry(to: string, seq: number, nextAt: number): void {
    this.#messages.outboxRetry(to, seq, nextAt);
  }

  oldestAt(): number | null {
    const row = this.#sql.exec("SELECT at FROM log ORDER BY seq ASC LIMIT 1").toArray()[0];
    return row ? Number(row.at) : null;
  }

  journal(upto: number, limit: number, from = 0): JournalRecord[] {
    // A log row's input came before any journal row at the same seq (those found the head already there).
    return this.#sql
      .exec(
        `SELECT input FROM (
           SELECT seq, 0 AS k, seq AS n, input FROM log WHERE input IS NOT NULL AND seq BETWEEN ?3 AND ?1
           UNION ALL SELECT seq, 1 AS k, n, input FROM journal WHERE seq BETWEEN ?3 AND ?1
         ) ORDER BY seq, k, n LIMIT ?2`,
        upto,
        limit,
        from,
      )
      .toArray()
      .map((r) => JSON.parse(r.input as string) as JournalRecord);
  }

  journalCut(): number {
    return this.#mark("journal_cut");
  }

  trim(policy: RetentionPolicy): void {
    const head = this.head();
    this.#tail = undefined;
    const ttl = policy.now - policy.dedupTtlMs;
    this.#storage.transactionSync(() => {
      // Records past their ttl are forgotten; the others outlive the log rows they rode on.
      this.#sql.exec("UPDATE log SET dkey = NULL, dhash = NULL, dval = NULL WHERE dkey IS NOT NULL AND at < ?", ttl);
      this.#keepDedup("seq <= ? OR at < ?", head - policy.maxEntries, policy.now - policy.maxAgeMs);
      const cut = this.#sql.exec("DELETE FROM log WHERE seq <= ? OR at < ?", head - policy.maxEntries, policy.now - policy.maxAgeMs);
      if (cut.rowsWritten > 0) {
        // The journal goes with the log: keep what explains the entries still here, and say where replay can no longer start.
        const tail = Number(this.#sql.exec("SELECT MIN(seq) AS s FROM log").toArray()[0]?.s ?? head + 1);
        this.#sql.exec("DELETE FROM journal WHERE seq < ?", tail);
        this.#setMark("journal_cut", Math.max(this.#mark("journal_cut"), tail - 1));
      }
      this.#sql.exec("DELETE FROM idem WHERE at < ?", ttl);
      this.#sql.exec("DELETE FROM cmd WHERE at < ?", ttl);
    });
  }

  reset(epoch: string, state: unknown, by?: { at: number; userId: string }): void {
    const meta = this.meta();
    if (!meta) return;
    const next: RoomMeta = { ...meta, epoch, journal: true, ...(by ? { resetAt: by.at, resetBy: by.userId } : {}) };
    this.#tail = undefined;
    const split = splitState(state, this.#keyedFields(meta.kind), new Map());
    this.#storage.transactionSync(() => {
      // Idempotency-Keys survive a reset (a retried POST still gets its answer); command ids don't.
      this.#keepDedup("dkey LIKE 'i%'");
      this.#sql.exec("DELETE FROM log");
      this.#sql.exec("DELETE FROM journal");
      this.#sql.exec("DELETE FROM marks WHERE k = 'journal_cut'");
      this.#sql.exec("DELETE FROM cmd");
      this.#sql.exec("DELETE FROM presence");
      this.#sql.exec("DELETE FROM timer");
      this.#sql.exec("UPDATE room SET meta = ?, state = ?, head = 0 WHERE id = 1", JSON.stringify(next), split.rest);
      this.#sql.exec("DELETE FROM state_keyed");
      this.#writeRows(split);
    });
    this.#keep(split);
    this.#meta = next;
    this.#head = 0;
  }
}

/** `audience`: NULL (everyone), a JSON array of user ids, or `{"u": [...], "g": [...]}` when groups are named. */
function encodeAudience(e: LogEntry): string | null {
  if (e.groups?.length) return JSON.stringify({ u: e.to ?? [], g: e.groups });
  return e.to ? JSON.stringify(e.to) : null;
}

function toEntry(row: Row): LogEntry {
  const base = { seq: Number(row.seq), at: Number(row.at), frame: row.frame as string };
  if (row.audience == null) return { ...base, to: null };
  const audience = JSON.parse(row.audience as string) as string[] | { u: string[]; g: string[] };
  if (Array.isArray(audience)) return { ...base, to: audience };
  return { ...base, to: audience.u, groups: audience.g };
}
