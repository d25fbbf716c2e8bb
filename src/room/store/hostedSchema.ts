/**
 * [S8] The shared tables of the rooms an object hosts (hostedSql.ts rewrites the store's statements
 * onto them): a room of its own's schema, with the room's number `r` first in each key.
 *
 * Log and room rows are rowid tables, not `WITHOUT ROWID` (stop 41, bench/ROLL-COST.md):
 * - `hr_log` is numbered in commit order (`n`, the rowid) and found by `(r, seq)` through its own
 *   index. Keyed by `(r, seq)` itself, the ~30 games a gateway hosts at once each appended into the
 *   middle of one B-tree, and every few rolls a leaf split there (balancing up to three leaves and
 *   their parent). In commit order every room appends at the tree's right edge; the index entries
 *   that do land mid-tree are ~20 bytes, so their leaves rarely split.
 * - `hr_room` keeps a room's meta and state (a game's ~1.1 KB) in its leaf page: a `WITHOUT
 *   ROWID` row over ~1,000 bytes of a 4 KiB page spills into an overflow page, rewritten with
 *   every roll.
 * Together: 11.5 -> 7.2 pages written to the WAL per roll at 100 games, every object's commits
 * counted (`bash bench/walPages.sh`).
 */

/** Created once per hosting object (IF NOT EXISTS); `relayout` first brings older layouts to these. */
export const HOSTED_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS hr_room (r INTEGER NOT NULL, id INTEGER NOT NULL, meta TEXT NOT NULL, state TEXT NOT NULL, head INTEGER NOT NULL, PRIMARY KEY (r, id))`,
  `CREATE TABLE IF NOT EXISTS hr_log (n INTEGER PRIMARY KEY, r INTEGER NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, frame TEXT NOT NULL, audience TEXT, input TEXT, dkey TEXT, dhash TEXT, dval TEXT)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS hr_log_seq ON hr_log (r, seq)`,
  `CREATE TABLE IF NOT EXISTS hr_idem (r INTEGER NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, response TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (r, key))`,
  `CREATE TABLE IF NOT EXISTS hr_cmd (r INTEGER NOT NULL, user_id TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (r, user_id, id))`,
  `CREATE TABLE IF NOT EXISTS hr_presence (r INTEGER NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (r, user_id))`,
  `CREATE TABLE IF NOT EXISTS hr_timer (r INTEGER NOT NULL, id INTEGER NOT NULL, wake_at INTEGER, PRIMARY KEY (r, id))`,
  `CREATE TABLE IF NOT EXISTS hr_outbox (r INTEGER NOT NULL, receiver TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, spec TEXT, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, PRIMARY KEY (r, receiver, seq))`,
  `CREATE TABLE IF NOT EXISTS hr_peers (r INTEGER NOT NULL, receiver TEXT NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (r, receiver))`,
  `CREATE TABLE IF NOT EXISTS hr_inbox (r INTEGER NOT NULL, sender TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (r, sender))`,
  `CREATE TABLE IF NOT EXISTS hr_metrics (r INTEGER NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (r, id))`,
  // `n` stays the rowid (numbered by SQLite as a room of its own's is): it orders one room's records as before.
  `CREATE TABLE IF NOT EXISTS hr_journal (n INTEGER PRIMARY KEY, r INTEGER NOT NULL, seq INTEGER NOT NULL, input TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS hr_marks (r INTEGER NOT NULL, k TEXT NOT NULL, v INTEGER NOT NULL, PRIMARY KEY (r, k))`,
  `CREATE TABLE IF NOT EXISTS hr_state_keyed (r INTEGER NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (r, field, key)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS hr_remote_sockets (r INTEGER NOT NULL, conn TEXT NOT NULL, gateway TEXT NOT NULL, tags TEXT NOT NULL, attachment TEXT NOT NULL, PRIMARY KEY (r, conn))`,
  `CREATE TABLE IF NOT EXISTS hr_hosts (r INTEGER NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL, PRIMARY KEY (r, name))`,
  `CREATE INDEX IF NOT EXISTS hr_journal_seq ON hr_journal (r, seq)`,
  `CREATE INDEX IF NOT EXISTS hr_idem_at ON hr_idem (r, at)`,
  `CREATE INDEX IF NOT EXISTS hr_cmd_at ON hr_cmd (r, at)`,
  `CREATE INDEX IF NOT EXISTS hr_log_dkey ON hr_log (r, dkey) WHERE dkey IS NOT NULL`,
];

/** Tables an object may hold in an older layout (`WITHOUT ROWID`, before stop 41): the columns they keep, and their key. */
const RELAID: Readonly<Record<string, { columns: string; key: string }>> = {
  hr_room: { columns: "r, id, meta, state, head", key: "r, id" },
  hr_log: { columns: "r, seq, at, frame, audience, input, dkey, dhash, dval", key: "r, seq" },
};

/**
 * Creates the shared tables (idempotent), first rebuilding any kept in an older layout. Synchronous,
 * so its statements commit together with the rest of the event's writes, or not at all.
 */
export function ensureHostedSchema(sql: SqlStorage): void {
  relayout(sql);
  for (const statement of HOSTED_SCHEMA) sql.exec(statement);
}

/**
 * Each table of RELAID still in its old layout is rebuilt in the new one with every row (a log in
 * its rooms' seq order, numbered afresh): renamed to `<table>_relaid`, copied, dropped. Its indexes
 * go with the old table; HOSTED_SCHEMA makes them again. A rebuild cut short after the rename is
 * finished by the next call (a copied row is not copied twice). After it, the check finds nothing.
 */
function relayout(sql: SqlStorage): void {
  const tables = new Map(
    sql
      .exec<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('hr_room', 'hr_log', 'hr_room_relaid', 'hr_log_relaid')`)
      .toArray()
      .map((row) => [row.name, row.sql] as const),
  );
  for (const [table, { columns, key }] of Object.entries(RELAID)) {
    const old = `${table}_relaid`;
    if (tables.get(table)?.includes("WITHOUT ROWID")) {
      sql.exec(`ALTER TABLE ${table} RENAME TO ${old}`);
      tables.set(old, "");
    }
    if (!tables.has(old)) continue;
    // The table and its indexes before any row: the unique key is what lets a resumed copy skip the rows it has.
    for (const statement of HOSTED_SCHEMA) if (statement.startsWith(`CREATE TABLE IF NOT EXISTS ${table} (`) || statement.includes(` ON ${table} (`)) sql.exec(statement);
    sql.exec(`INSERT OR IGNORE INTO ${table} (${columns}) SELECT ${columns} FROM ${old} ORDER BY ${key}`);
    sql.exec(`DROP TABLE ${old}`);
  }
}
