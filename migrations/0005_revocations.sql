-- Revocation (issue 24, docs/security.md [V1]..[V7]).
-- One row per revoked user (`u:<sub>`) or token id (`j:<jti>`), kept until every token it can
-- refuse has expired (`expires_at`, ms). A user row refuses that user's tokens issued at or before
-- `revoked_at` (or without `iat`); a token row refuses that one token.
CREATE TABLE IF NOT EXISTS revocations (
  subject    TEXT PRIMARY KEY,
  revoked_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  reason     TEXT,
  revoked_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revocations_expires ON revocations (expires_at);
-- Where a user's sockets are: one row per (user, token id, room object) while that room holds at
-- least one socket of that user with that token ('' for a token without `jti`). Written by the room
-- on the first such socket and deleted on the last, so a revocation reaches only the rooms that hold
-- the user's sockets instead of every room in room_directory.
CREATE TABLE IF NOT EXISTS socket_rooms (
  user_id TEXT NOT NULL,
  jti     TEXT NOT NULL,
  room    TEXT NOT NULL,
  since   INTEGER NOT NULL,
  PRIMARY KEY (user_id, jti, room)
);
CREATE INDEX IF NOT EXISTS socket_rooms_jti ON socket_rooms (jti);
