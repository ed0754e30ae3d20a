package io.featurelake.sqlcatalog.online;

import java.time.OffsetDateTime;

/**
 * One sync of a feature view into the online store, as recorded in the catalog database.
 * Counts are null while it runs and stay null when it failed before counting.
 *
 * @param mode INCREMENTAL (changelog from the cursor), FULL (asked for) or FULL_FALLBACK (the
 *     cursor's snapshot no longer exists, or there was no cursor)
 * @param status RUNNING, SUCCEEDED or FAILED (a sync whose process died is FAILED with a message
 *     starting "abandoned: ")
 * @param rowsRead changelog rows (incremental) or table rows (full) read
 * @param entitiesChanged entities whose latest row was sent to Redis
 * @param keysWritten keys sent through the guard
 * @param keysApplied keys the guard wrote (newer than what Redis held)
 * @param keysKeptNewer keys the guard left alone because Redis already held a row at least as new
 * @param ownerHost host of the process that ran it (null for syncs recorded before owners were)
 * @param ownerPid process id of that process (null likewise)
 * @param heartbeatAt its last sign of life while RUNNING (null likewise)
 * @param keysRetracted keys whose value came from a row removed from main, given main's latest
 *     row instead (incremental syncs; null for syncs recorded before retractions were counted)
 * @param keysDeleted keys deleted because their entity has no row left on main (null likewise)
 */
public record OnlineSync(long syncId, String featureView, String mode, String status, Long fromSnapshotId,
    long toSnapshotId, Long rowsRead, Long entitiesChanged, Long keysWritten, Long keysApplied, Long keysKeptNewer,
    String message, String startedBy, OffsetDateTime startedAt, OffsetDateTime finishedAt, Long durationMs,
    String ownerHost, Long ownerPid, OffsetDateTime heartbeatAt, Long keysRetracted, Long keysDeleted) {

  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  /** {@code host pid 123}, or null when no owner was recorded. */
  public String owner() {
    return ownerHost == null ? null : ownerHost + " pid " + ownerPid;
  }

  /** When it last showed it was alive: the heartbeat, else the start. */
  public OffsetDateTime lastSignOfLife() {
    return heartbeatAt != null ? heartbeatAt : startedAt;
  }
}
