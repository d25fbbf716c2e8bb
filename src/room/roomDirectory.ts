/** One line of the cross-room directory (D1 `room_directory`): what lists every room of every system. */
export interface DirectoryEntry {
  /** The object's name: what `roomStub(env, name)` and the admin API address. */
  name: string;
  kind: string;
  /** The id the room's own system uses for it (relay id, team code, session id, campaign id, ...). */
  roomId: string;
  createdAt: number;
  createdBy: string;
}

/**
 * Records a room that was just created. Called by the Durable Object shell for
 * every creation (an HTTP create, or a create carried by an outbox message), so
 * no system writes the directory itself and none is missing from it. Best effort
 * and idempotent: the room exists whether or not this write lands, and a
 * re-created name keeps its first line.
 */
export async function recordRoom(db: D1Database, e: DirectoryEntry): Promise<void> {
  await db
    .prepare("INSERT OR IGNORE INTO room_directory (name, kind, room_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)")
    .bind(e.name, e.kind, e.roomId, e.createdAt, e.createdBy)
    .run();
}
