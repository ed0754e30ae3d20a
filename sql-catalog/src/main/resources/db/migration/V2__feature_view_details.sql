-- Feature-view details the backfill and audit need, and the history of every definition text.
-- Portable between H2 (PostgreSQL mode) and PostgreSQL: one column per ALTER, no JSONB, no
-- TIMESTAMPTZ keyword, no ON CONFLICT.

-- Comma-separated fully qualified tables, like entity_columns.
ALTER TABLE feature_views ADD COLUMN sources TEXT;
ALTER TABLE feature_views ADD COLUMN lookback_days INTEGER NOT NULL DEFAULT 0;
-- Checks as canonical JSON with the YAML field names (Checks.toJson).
ALTER TABLE feature_views ADD COLUMN checks TEXT;
-- The SQL file as written, placeholders not rendered.
ALTER TABLE feature_views ADD COLUMN sql_text TEXT;

-- Every definition text ever registered, so a run's lineage can show the definition as it was
-- when the run computed it, even after the files changed. Rows are never updated or deleted.
CREATE TABLE feature_view_versions (
    name            VARCHAR(128) NOT NULL,
    sha256          CHAR(64)     NOT NULL,
    definition_text TEXT         NOT NULL,
    git_commit      VARCHAR(64),
    git_dirty       BOOLEAN      NOT NULL DEFAULT FALSE,
    first_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (name, sha256)
);

-- Views registered before this migration keep their current definition in the history.
INSERT INTO feature_view_versions (name, sha256, definition_text, git_commit, git_dirty, first_seen_at)
SELECT name, definition_sha256, definition_text, git_commit, git_dirty, updated_at FROM feature_views;
