-- The process that runs a sync (host, pid) and its last sign of life, so that a sync left RUNNING
-- by a killed process can be told from one still at work and marked FAILED ("abandoned: ...").
-- Nullable: syncs recorded before this migration have no owner (their started_at stands in).
ALTER TABLE online_syncs ADD COLUMN owner_host VARCHAR(256);
ALTER TABLE online_syncs ADD COLUMN owner_pid BIGINT;
ALTER TABLE online_syncs ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX IF NOT EXISTS online_syncs_status_idx ON online_syncs (status, feature_view);
