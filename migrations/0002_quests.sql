-- Quest definitions (PUT /api/quests/:questId) and team codes (POST /api/teams): both must be
-- found by any Worker instance before it knows which room to ask.
CREATE TABLE IF NOT EXISTS quests (
  quest_id   TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS team_codes (
  team_code  TEXT PRIMARY KEY,
  quest_id   TEXT NOT NULL,
  mode       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
