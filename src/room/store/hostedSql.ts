/**
 * [S8] Where a room hosted inside another object keeps its data: the same tables as a room of its
 * own, shared by every room the object hosts (`hr_<table>`), each row carrying its room's number
 * (`r`). A table per hosted room would change the object's schema with every game, and SQLite
 * recompiles every cached statement after each schema change (stop 37: SQL time per roll 4x).
 *
 * The store's SQL is written once, for a room of its own (sqliteRoomStore.ts); `hostedQuery`
 * rewrites each statement for room `r`: the table renamed, `r` added to every row written, to every
 * condition and to every conflict target. The rewrite knows the store's statement forms (INSERT
 * ... VALUES, UPDATE ... WHERE, DELETE FROM, SELECT ... FROM ... WHERE/ORDER/LIMIT/UNION), and
 * test/hostedStore.test.ts runs the whole store contract through it, two rooms side by side.
 * The tables themselves: hostedSchema.ts.
 */
const TABLES = ["room", "log", "idem", "cmd", "presence", "timer", "outbox", "peers", "inbox", "metrics", "journal", "marks", "state_keyed", "remote_sockets", "hosts"];
const TABLE = `(${TABLES.join("|")})`;

/** Forgets everything of hosted room `r`: its rows in every shared table (no schema change). */
export function dropHostedRoom(sql: SqlStorage, r: number): void {
  for (const table of TABLES) sql.exec(`DELETE FROM hr_${table} WHERE r = ?`, r);
}

/**
 * A statement as a hosted room runs it: the room's number is its first parameter (`?1`, bound at
 * each call) and the statement's own parameters follow, renumbered. One text per statement for
 * every room the object hosts: workerd caches prepared statements by their text (at most 1 MiB of
 * it per object), so a text per room re-prepared each statement for every new game and crowded
 * the object's own statements out of the cache (stop 38: 2.8% of the server's CPU at 1,000 games).
 */
export interface HostedStatement {
  text: string;
  /** Whether the text names the room (`?1`); a statement that doesn't (a schema no-op, an existence check) binds no room. */
  room: boolean;
}

/** Each statement's rewrite, once per isolate. */
const statements = new Map<string, HostedStatement>();
const statementOf = (query: string): HostedStatement => {
  let st = statements.get(query);
  if (!st) statements.set(query, (st = hostedQuery(query)));
  return st;
};

/** `sql` as hosted room `r` sees it: every statement rewritten by hostedQuery, the room bound first. */
export function hostedSql(sql: SqlStorage, r: number): SqlStorage {
  if (!Number.isInteger(r) || r < 1) throw new Error(`bad hosted room number ${r}`);
  const exec = (query: string, ...bindings: SqlStorageValue[]) => {
    const st = statementOf(query);
    return st.room ? sql.exec(st.text, r, ...bindings) : sql.exec(st.text, ...bindings);
  };
  return new Proxy(sql, {
    get(target, key) {
      if (key === "exec") return exec;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The room's parameter in a rewritten statement. */
const ROOM = "?1";

/** One statement of the store, rewritten for a hosted room (its number bound as `?1`). */
export function hostedQuery(query: string): HostedStatement {
  // The schema is HOSTED_SCHEMA (hostedSchema.ts): the store's own CREATE and ALTER statements do nothing here.
  if (/^\s*(CREATE|ALTER)\b/i.test(query)) return { text: "SELECT 1", room: false };
  const text = scoped(shiftParameters(query));
  // A statement the rewrite didn't scope to the room keeps its own parameters as they were.
  return hasRoom(text) ? { text, room: true } : { text: scoped(query), room: false };
}

/** The rewrite itself: tables renamed, the room (`?1`) in every row written, condition and conflict target. */
function scoped(query: string): string {
  let q = query;
  // INSERT [OR x] INTO t (cols) VALUES (...), (...) [ON CONFLICT (cols) ...]
  q = q.replace(new RegExp(`\\bINTO\\s+${TABLE}\\s*\\(`, "g"), (_m, t: string) => `INTO hr_${t} (r, `);
  q = q.replace(/\bON CONFLICT\s*\(/g, "ON CONFLICT (r, ");
  const values = /\bVALUES\b/.exec(q);
  if (values) {
    const start = values.index + values[0].length;
    const conflict = q.indexOf(" ON CONFLICT", start);
    const end = conflict < 0 ? q.length : conflict;
    q = q.slice(0, start) + withRoomInTuples(q.slice(start, end)) + q.slice(end);
  }
  // UPDATE t SET ... [WHERE cond]; DELETE FROM t [WHERE cond]; SELECT ... FROM t [WHERE cond] [ORDER|LIMIT|UNION ...]
  q = scopeConditions(q, new RegExp(`\\b(UPDATE|FROM)\\s+${TABLE}\\b`, "g"));
  // What is left names a table as a string (an existence check in sqlite_master).
  return q.replace(new RegExp(`'${TABLE}'`, "g"), (_m, t: string) => `'hr_${t}'`);
}

/**
 * Every parameter of `query` one place later (`?` and `?N` alike, numbered as SQLite numbers them:
 * a bare `?` is one more than the largest so far), so that `?1` is free for the room. Text in
 * quotes is left alone.
 */
export function shiftParameters(query: string): string {
  let out = "";
  let largest = 0;
  let quoted = false;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]!;
    if (quoted) {
      if (ch === "'") quoted = false;
      out += ch;
      continue;
    }
    if (ch === "'") {
      quoted = true;
      out += ch;
      continue;
    }
    if (ch !== "?") {
      out += ch;
      continue;
    }
    let digits = "";
    while (i + 1 < query.length && /[0-9]/.test(query[i + 1]!)) digits += query[++i];
    const n = digits ? Number(digits) : largest + 1;
    largest = Math.max(largest, n);
    out += `?${n + 1}`;
  }
  return out;
}

/** Whether a rewritten statement binds the room (`?1` outside quotes). */
function hasRoom(text: string): boolean {
  return /\?1(?![0-9])/.test(text.replace(/'[^']*'/g, "''"));
}

/** `(a, b), (c, d)` -> `(?1, a, b), (?1, c, d)`: each top-level tuple gets the room first. */
function withRoomInTuples(text: string): string {
  let out = "";
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") {
      out += depth === 0 ? `(${ROOM}, ` : ch;
      depth++;
    } else {
      if (ch === ")") depth--;
      out += ch;
    }
  }
  return out;
}

/**
 * After each `UPDATE t` / `FROM t` (a room table): the table renamed, and its statement's
 * condition (at the same depth, up to ORDER BY, LIMIT, UNION, GROUP BY or the closing
 * parenthesis) becomes `WHERE r = <r> AND (<condition>)`, or `WHERE r = <r>` when it had none.
 */
function scopeConditions(q: string, head: RegExp): string {
  let out = "";
  let at = 0;
  for (const m of q.matchAll(head)) {
    const [whole, verb, table] = m as unknown as [string, string, string];
    out += q.slice(at, m.index) + `${verb} hr_${table}`;
    const after = m.index! + whole.length;
    // The clause runs to the end of this statement level.
    const end = clauseEnd(q, after);
    const clause = q.slice(after, end);
    const where = /\bWHERE\b/.exec(clause);
    if (where) out += `${clause.slice(0, where.index)}WHERE r = ${ROOM} AND (${clause.slice(where.index + 5).trim()})`;
    else out += `${clause.replace(/\s+$/, "")} WHERE r = ${ROOM}`;
    const rest = q.slice(end);
    out += rest.length && !/^\s/.test(rest) ? " " : "";
    at = end;
  }
  return out + q.slice(at);
}

/** Where the clause starting at `from` ends: before ORDER BY / LIMIT / UNION / GROUP BY at its depth, its closing `)`, or the end. */
function clauseEnd(q: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = from; i < q.length; i++) {
    const ch = q[i]!;
    if (quoted) {
      if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (depth === 0) return trimEnd(q, i);
      depth--;
    } else if (depth === 0 && /\s/.test(ch) && /^\s+(ORDER\s+BY|LIMIT|UNION|GROUP\s+BY)\b/i.test(q.slice(i))) return i;
  }
  return trimEnd(q, q.length);
}

/** `i`, moved back over whitespace (so the condition's parenthesis hugs it). */
function trimEnd(q: string, i: number): number {
  let j = i;
  while (j > 0 && /\s/.test(q[j - 1]!)) j--;
  return j;
}
