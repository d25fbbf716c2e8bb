-- The cross-room directory: what must be found without knowing which room to ask.
-- Per-room data never lives here; it stays in each room's Durable Object.
CREATE TABLE IF NOT EXISTS rooms (
  room_id    TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rooms_kind_created ON rooms (kind, created_at);
