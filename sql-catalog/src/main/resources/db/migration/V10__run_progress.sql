-- What a running backfill is doing right now ("write running for 40 s; stage 3: 5/8 tasks"),
-- refreshed with its heartbeat, so run_status and the web UI can show it from any JVM.
ALTER TABLE backfill_runs ADD COLUMN progress TEXT;
ALTER TABLE backfill_runs ADD COLUMN progress_at TIMESTAMP WITH TIME ZONE;
