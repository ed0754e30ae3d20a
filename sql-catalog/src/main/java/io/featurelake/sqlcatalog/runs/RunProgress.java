package io.featurelake.sqlcatalog.runs;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Where a run stands, for a person watching it.
 *
 * @param step what it does now: its latest live progress line while it works, else its latest
 *     event (e.g. {@code queued: waiting for a free worker (1 ahead)} for a PENDING run)
 * @param elapsed since it was created, up to now while in flight, up to its last change after
 * @param progressAt when {@code step} was last refreshed
 */
public record RunProgress(long runId, String featureView, String window, RunState state, String step, Duration elapsed,
    OffsetDateTime createdAt, OffsetDateTime progressAt, OffsetDateTime heartbeatAt, String message) {}
