-- Every room of every system, by its object name (issue 16): the rooms table keyed rooms by an id
-- that only relay rooms resolve, held quest teams, feeds and games not at all, and let two systems'
-- ids collide. Rooms now record themselves when they are created (src/room/roomDirectory.ts).
CREATE TABLE IF NOT EXISTS room_directory (
  name       TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  room_id    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS room_directory_created ON room_directory (created_at, name);
-- Carry the old entries over: relay rooms kept their id, tabletop and campaign rooms their object name.
INSERT OR IGNORE INTO room_directory (name, kind, room_id, created_at, created_by)
  SELECT room_id, kind,
         CASE WHEN kind IN ('tabletop', 'campaign') AND instr(room_id, ':') > 0 THEN substr(room_id, instr(room_id, ':') + 1) ELSE room_id END,
         created_at, created_by
  FROM rooms;
DROP TABLE rooms;
