import type { PushMark } from "../rpc.ts";

/** The last push a gateway applied from each room ([S1]): a retried push is recognised and applied once. */
export interface PushLedger {
  last(source: string): PushMark | null;
  record(source: string, incarnation: string, push: number): void;
  forget(source: string): void;
}

export function memoryPushLedger(): PushLedger {
  const rows = new Map<string, PushMark>();
  return { last: (s) => rows.get(s) ?? null, record: (s, incarnation, push) => void rows.set(s, { incarnation, push }), forget: (s) => void rows.delete(s) };
}

/**
 * In the gateway object's SQLite: it survives the gateway's eviction between a push and its retry.
 * The gateway is the table's only writer, so each source's row is read once per incarnation and
 * then answered from memory: a push costs one write, not a read and a write (bench/ROLL-COST.md).
 */
export function sqlitePushLedger(sql: SqlStorage): PushLedger {
  let ready = false;
  /** Each source's row as stored (null: none), once read or written by this incarnation. */
  const known = new Map<string, PushMark | null>();
  const table = () => {
    if (!ready) sql.exec("CREATE TABLE IF NOT EXISTS gw_pushes (source TEXT PRIMARY KEY, incarnation TEXT NOT NULL, push INTEGER NOT NULL)");
    ready = true;
  };
  return {
    last(source) {
      const cached = known.get(source);
      if (cached !== undefined) return cached;
      table();
      const row = sql.exec<{ incarnation: string; push: number }>("SELECT incarnation, push FROM gw_pushes WHERE source = ?", source).toArray()[0];
      const last = row ? { incarnation: row.incarnation, push: row.push } : null;
      // A cache, not the record: past a bound (every game a socket here ever followed) it starts over.
      if (known.size >= 10_000) known.clear();
      known.set(source, last);
      return last;
    },
    record(source, incarnation, push) {
      table();
      if (known.get(source)) sql.exec("UPDATE gw_pushes SET incarnation = ?, push = ? WHERE source = ?", incarnation, push, source);
      else sql.exec("INSERT INTO gw_pushes (source, incarnation, push) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET incarnation = excluded.incarnation, push = excluded.push", source, incarnation, push);
      known.set(source, { incarnation, push });
    },
    forget(source) {
      table();
      sql.exec("DELETE FROM gw_pushes WHERE source = ?", source);
      known.set(source, null);
    },
  };
}

/**
 * [S8] `durable`, except for rooms hosted in this same object (`local`): their pushes are calls in
 * place, so none is retried after a lost answer, and such a room and this gateway are evicted
 * together (its pushes then start over under a new incarnation). Their record lives in memory: a
 * roll in a hosted game writes its commit, not also a ledger row.
 */
export function withLocalSources(durable: PushLedger, local: (source: string) => boolean): PushLedger {
  const inMemory = memoryPushLedger();
  const pick = (source: string) => (local(source) ? inMemory : durable);
  return {
    last: (source) => pick(source).last(source),
    record: (source, incarnation, push) => pick(source).record(source, incarnation, push),
    forget: (source) => pick(source).forget(source),
  };
}
