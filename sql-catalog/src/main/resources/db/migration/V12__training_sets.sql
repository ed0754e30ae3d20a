-- Training sets: the manifest from which lake.training.<name> can be rebuilt bit for bit.
-- Times of visibility are epoch milliseconds (Iceberg's snapshot log resolution); NULL means
-- unbounded (before the first or after the last pinned snapshot).
CREATE TABLE training_sets (
    name               VARCHAR(128) PRIMARY KEY,
    table_name         VARCHAR(512) NOT NULL,
    mode               VARCHAR(16)  NOT NULL,
    spine              TEXT         NOT NULL,
    spine_table        VARCHAR(512),
    spine_snapshot_id  BIGINT,
    label_time_column  VARCHAR(256) NOT NULL,
    features           TEXT         NOT NULL,
    entity_mapping     TEXT         NOT NULL,
    min_label_ms       BIGINT,
    max_label_ms       BIGINT,
    spine_rows         BIGINT       NOT NULL,
    output_rows        BIGINT       NOT NULL,
    output_snapshot_id BIGINT,
    git_commit         VARCHAR(64),
    created_by         VARCHAR(256) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms        BIGINT       NOT NULL
);

-- One row per feature view joined: what was read and how.
CREATE TABLE training_set_views (
    name               VARCHAR(128) NOT NULL REFERENCES training_sets (name),
    position           INTEGER      NOT NULL,
    feature_view       VARCHAR(128) NOT NULL,
    table_name         VARCHAR(512) NOT NULL,
    definition_sha256  CHAR(64)     NOT NULL,
    definition_commit  VARCHAR(64),
    entity_columns     TEXT         NOT NULL,
    spine_columns      TEXT         NOT NULL,
    event_time_column  VARCHAR(256) NOT NULL,
    features           TEXT         NOT NULL,
    ttl_seconds        BIGINT,
    matched_rows       BIGINT       NOT NULL,
    PRIMARY KEY (name, position)
);

-- The snapshots of main that were current while the spine's labels happened, each with the
-- interval in which it was main's current snapshot, and the ref that keeps it from expiry.
CREATE TABLE training_set_snapshots (
    name               VARCHAR(128) NOT NULL REFERENCES training_sets (name),
    feature_view       VARCHAR(128) NOT NULL,
    position           INTEGER      NOT NULL,
    snapshot_id        BIGINT       NOT NULL,
    visible_from_ms    BIGINT,
    visible_until_ms   BIGINT,
    pin_ref            VARCHAR(256) NOT NULL,
    PRIMARY KEY (name, feature_view, position)
);

-- The backfill runs whose rows ended up in the training set, with how many spine rows each fed.
CREATE TABLE training_set_runs (
    name               VARCHAR(128) NOT NULL REFERENCES training_sets (name),
    feature_view       VARCHAR(128) NOT NULL,
    run_id             BIGINT       NOT NULL,
    rows_used          BIGINT       NOT NULL,
    PRIMARY KEY (name, feature_view, run_id)
);
CREATE INDEX IF NOT EXISTS training_set_runs_run_idx ON training_set_runs (run_id);
