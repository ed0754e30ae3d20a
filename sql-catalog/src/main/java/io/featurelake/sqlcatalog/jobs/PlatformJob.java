package io.featurelake.sqlcatalog.jobs;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * One asynchronous job (a {@code sync_online} or {@code run_maintenance} call made with
 * {@code wait => false}) as recorded in the catalog database.
 *
 * @param target the feature view synced, or the table (or {@code all}) maintained
 * @param arguments the call's arguments as the user gave them (with defaults), for the record
 * @param step what it does now (its queue place while PENDING), refreshed with the heartbeat
 * @param result what it produced, once SUCCEEDED: {@code sync 12}, {@code reports 4, 5}
 */
public record PlatformJob(long jobId, JobKind kind, String target, String arguments, JobState state, String step,
    OffsetDateTime stepAt, String result, String message, String startedBy, String ownerHost, long ownerPid,
    OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime heartbeatAt) {

  /** Since it was created: up to now while in flight, up to its end after. */
  public Duration elapsed() {
    OffsetDateTime end = finishedAt != null ? finishedAt : OffsetDateTime.now();
    return Duration.between(createdAt, end).isNegative() ? Duration.ZERO : Duration.between(createdAt, end);
  }

  /** Its last sign of life (heartbeat), for the abandonment rule. */
  public OffsetDateTime lastSignOfLife() {
    return heartbeatAt;
  }
}
