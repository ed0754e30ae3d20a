-- A run that failed its audit keeps its branch until branch_expires_at (FAILED), and may be
-- published anyway by a person who records why (the override, also on its audit report).
ALTER TABLE backfill_runs ADD COLUMN branch_expires_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE backfill_runs ADD COLUMN override_by VARCHAR(256);
ALTER TABLE backfill_runs ADD COLUMN override_reason TEXT;
ALTER TABLE audit_reports ADD COLUMN override_by VARCHAR(256);
ALTER TABLE audit_reports ADD COLUMN override_reason TEXT;
ALTER TABLE audit_reports ADD COLUMN overridden_at TIMESTAMP WITH TIME ZONE;

-- Alerts of every kind name the feature view and its owner (syncs and maintenance have no run).
ALTER TABLE alerts ADD COLUMN feature_view VARCHAR(128);
ALTER TABLE alerts ADD COLUMN owner VARCHAR(256);
CREATE INDEX IF NOT EXISTS alerts_created_idx ON alerts (created_at);
