/** One remote socket as the room stores it ([S2]): it survives the room's eviction, as a hibernated socket's attachment does. */
export interface RemoteRow {
  conn: string;
  gateway: string;
  tags: string[];
  attachment: unknown;
}

/** Where a room keeps its remote sockets: SQLite in the object, memory in unit tests. */
export interface RemoteRows {
  all(): RemoteRow[];
  put(row: RemoteRow): void;
  delete(conn: string): void;
}

export function memoryRemoteRows(): RemoteRows & { rows: Map<string, RemoteRow> } {
  const rows = new Map<string, RemoteRow>();
  return {
    rows,
    all: () => [...rows.values()].map((r) => structuredClone(r)),
    put: (row) => void rows.set(row.conn, structuredClone(row)),
    delete: (conn) => void rows.delete(conn),
  };
}

/** The table in the room object's SQLite (created on first use; a room without gateways never writes it). */
export function sqliteRemoteRows(sql: SqlStorage): RemoteRows {
  let ready = false;
  const table = () => {
    if (!ready) sql.exec("CREATE TABLE IF NOT EXISTS remote_sockets (conn TEXT PRIMARY KEY, gateway TEXT NOT NULL, tags TEXT NOT NULL, attachment TEXT NOT NULL)");
    ready = true;
  };
  // A read never creates the table: most rooms never have a gateway.
  const exists = () => ready || sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'remote_sockets'").toArray().length > 0;
  return {
    all() {
      if (!exists()) return [];
      return sql
        .exec<{ conn: string; gateway: string; tags: string; attachment: string }>("SELECT conn, gateway, tags, attachment FROM remote_sockets")
        .toArray()
        .map((r) => ({ conn: r.conn, gateway: r.gateway, tags: JSON.parse(r.tags) as string[], attachment: JSON.parse(r.attachment) as unknown }));
    },
    put(row) {
      table();
      sql.exec(
        "INSERT INTO remote_sockets (conn, gateway, tags, attachment) VALUES (?, ?, ?, ?) ON CONFLICT (conn) DO UPDATE SET attachment = excluded.attachment",
        row.conn,
        row.gateway,
        JSON.stringify(row.tags),
        JSON.stringify(row.attachment),
      );
    },
    delete(conn) {
      if (!exists()) return;
      sql.exec("DELETE FROM remote_sockets WHERE conn = ?", conn);
    },
  };
}
