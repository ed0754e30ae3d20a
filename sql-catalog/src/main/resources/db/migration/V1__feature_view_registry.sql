-- Feature-view registry: one row per view, refreshed from the definition files at start-up.
-- Portable between H2 (PostgreSQL mode) and PostgreSQL: no JSONB, no TIMESTAMPTZ, no ON CONFLICT.
CREATE TABLE feature_views (
    name                   VARCHAR(128) PRIMARY KEY,
    entity_columns         TEXT         NOT NULL,
    event_timestamp_column VARCHAR(128) NOT NULL,
    owner                  VARCHAR(256),
    description            TEXT,
    online_ttl_seconds     BIGINT,
    definition_sha256      CHAR(64)     NOT NULL,
    definition_text        TEXT         NOT NULL,
    source_path            TEXT         NOT NULL,
    git_commit             VARCHAR(64),
    git_dirty              BOOLEAN      NOT NULL DEFAULT FALSE,
    registered_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL
);
