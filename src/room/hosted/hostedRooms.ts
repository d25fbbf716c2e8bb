import { ensureHostedSchema } from "../store/hostedSchema.ts";
import { dropHostedRoom } from "../store/hostedSql.ts";

/** One room hosted in this object, as the object's own table lists it. */
interface HostedRow {
  /** Its number: its rows in the shared tables (hostedSql.ts). */
  n: number;
  /** When its alarm is due (its share of the object's one alarm), or null. */
  wakeAt: number | null;
  /** When to retire it if it is still quiet then (no sockets, no timer, nothing to deliver), or null. */
  retireAt: number | null;
}

/**
 * How long a hosted room with nobody in it is kept before its tables are dropped: a spectator's
 * cursor into a game that just ended stays good for this long. A gateway hosts the games of its
 * sockets one after another; without this its SQLite would keep every game it ever hosted.
 */
export const HOSTED_RETIRE_MS = 10 * 60_000;

/**
 * [S8] The rooms a gateway object hosts besides holding sockets: each one's number, alarm
 * and retirement time, in the object's SQLite (`hosted_rooms`), so they survive the object's
 * eviction. The object has one alarm; it is set to the earliest of its parts' times, and when it
 * fires every hosted room whose time has come runs its own.
 */
export class HostedRooms {
  readonly #sql: SqlStorage;
  #rows: Map<string, HostedRow> | null = null;
  #schema = false;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  /** The room's number; a room not hosted here yet gets one when `create` says so, else null. */
  numberOf(name: string, create: boolean): number | null {
    const rows = this.#all();
    const row = rows.get(name);
    if (row) return row.n;
    if (!create) return null;
    if (!this.#schema) {
      this.#sql.exec("CREATE TABLE IF NOT EXISTS hosted_rooms (name TEXT PRIMARY KEY, n INTEGER NOT NULL UNIQUE, wake_at INTEGER, retire_at INTEGER)");
      ensureHostedSchema(this.#sql);
      this.#schema = true;
    }
    // A retired room's number may come back: its rows went with it.
    const n = Number(this.#sql.exec<{ n: number }>("SELECT COALESCE(MAX(n), 0) + 1 AS n FROM hosted_rooms").one().n);
    this.#sql.exec("INSERT INTO hosted_rooms (name, n, wake_at, retire_at) VALUES (?, ?, NULL, NULL)", name, n);
    const added = { n, wakeAt: null, retireAt: null };
    rows.set(name, added);
    return n;
  }

  wakeAt(name: string): number | null {
    return this.#all().get(name)?.wakeAt ?? null;
  }

  setWake(name: string, at: number | null): void {
    const row = this.#all().get(name);
    if (!row || row.wakeAt === at) return;
    row.wakeAt = at;
    this.#sql.exec("UPDATE hosted_rooms SET wake_at = ? WHERE name = ?", at, name);
  }

  /** The room may be retired at `at` (when it is still quiet then); a time already set stands. Returns whether it set one. */
  retireLater(name: string, at: number): boolean {
    const row = this.#all().get(name);
    if (!row || row.retireAt !== null) return false;
    row.retireAt = at;
    this.#sql.exec("UPDATE hosted_rooms SET retire_at = ? WHERE name = ?", at, name);
    return true;
  }

  /**
   * The rooms whose alarm is due at `now`, and those due to be retired (the table says: it is the
   * record, this object's memory a cache of it); both times are cleared (each sets its next).
   */
  takeDue(now: number): { wake: string[]; retire: string[] } {
    const wake: string[] = [];
    for (const [name, row] of this.#all()) if (row.wakeAt !== null && row.wakeAt <= now) wake.push(name);
    for (const name of wake) this.setWake(name, null);
    if (this.#all().size === 0) return { wake, retire: [] };
    const retire = this.#sql
      .exec<{ name: string }>("SELECT name FROM hosted_rooms WHERE retire_at IS NOT NULL AND retire_at <= ?", now)
      .toArray()
      .map((r) => r.name);
    for (const name of retire) {
      const row = this.#all().get(name);
      if (row) row.retireAt = null;
      this.#sql.exec("UPDATE hosted_rooms SET retire_at = NULL WHERE name = ?", name);
    }
    return { wake, retire };
  }

  /** Deletes the room's rows and forgets it (the caller holds the transaction). */
  retire(name: string): void {
    const row = this.#all().get(name);
    if (!row) return;
    dropHostedRoom(this.#sql, row.n);
    this.#sql.exec("DELETE FROM hosted_rooms WHERE name = ?", name);
    this.#all().delete(name);
  }

  /** The earliest time anything hosted here is due, or null. */
  nextWake(): number | null {
    let next: number | null = null;
    for (const row of this.#all().values()) {
      for (const at of [row.wakeAt, row.retireAt]) if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** How many rooms this object hosts. */
  size(): number {
    return this.#all().size;
  }

  #all(): Map<string, HostedRow> {
    if (this.#rows) return this.#rows;
    this.#rows = new Map();
    // A gateway that never hosted a room has no table (and a read never creates one).
    if (this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hosted_rooms'").toArray().length === 0) return this.#rows;
    for (const r of this.#sql.exec<{ name: string; n: number; wake_at: number | null; retire_at: number | null }>("SELECT name, n, wake_at, retire_at FROM hosted_rooms").toArray()) {
      this.#rows.set(r.name, { n: Number(r.n), wakeAt: r.wake_at === null ? null : Number(r.wake_at), retireAt: r.retire_at === null ? null : Number(r.retire_at) });
    }
    return this.#rows;
  }
}
