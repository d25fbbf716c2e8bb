/** The last push a gateway applied from each room ([S1]): a retried push is recognised and applied once. */
export interface PushLedger {
  last(source: string): { incarnation: string; push: number } | null;
  record(source: string, incarnation: string, push: number): void;
  forget(source: string): void;
}

export function memoryPushLedger(): PushLedger {
  const rows = new Map<string, { incarnation: string; push: number }>();
  return { last: (s) => rows.get(s) ?? null, record: (s, incarnation, push) => void rows.set(s, { incarnation, push }), forget: (s) => void rows.delete(s) };
}

/** In the gateway object's SQLite: it survives the gateway's eviction between a push and its retry. */
export function sqlitePushLedger(sql: SqlStorage): PushLedger {
  let ready = false;
  const table = () => {
    if (!ready) sql.exec("CREATE TABLE IF NOT EXISTS gw_pushes (source TEXT PRIMARY KEY, incarnation TEXT NOT NULL, push INTEGER NOT NULL)");
    ready = true;
  };
  return {
    last(source) {
      table();
      const row = sql.exec<{ incarnation: string; push: number }>("SELECT incarnation, push FROM gw_pushes WHERE source = ?", source).toArray()[0];
      return row ? { incarnation: row.incarnation, push: row.push } : null;
    },
    record(source, incarnation, push) {
      table();
      sql.exec("INSERT INTO gw_pushes (source, incarnation, push) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET incarnation = excluded.incarnation, push = excluded.push", source, incarnation, push);
    },
    forget(source) {
      table();
      sql.exec("DELETE FROM gw_pushes WHERE source = ?", source);
    },
  };
}
