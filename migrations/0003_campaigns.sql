-- Campaigns by DM (seed 001): POST /api/dms/:dm_user_id/active finds the DM's other campaigns here
-- to deactivate them before loading the new one. Whether a campaign is active lives in its room only.
CREATE TABLE IF NOT EXISTS campaigns (
  campaign_id TEXT PRIMARY KEY,
  dm_user_id  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS campaigns_dm ON campaigns (dm_user_id, created_at);
