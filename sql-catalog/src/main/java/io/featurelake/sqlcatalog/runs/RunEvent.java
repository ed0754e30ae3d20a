package io.featurelake.sqlcatalog.runs;

import java.time.OffsetDateTime;

/** One state change of a run, with what happened. */
public record RunEvent(long eventId, long runId, OffsetDateTime at, RunState fromState, RunState toState, String message) {}
