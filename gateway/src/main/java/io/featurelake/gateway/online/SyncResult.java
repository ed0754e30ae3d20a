package io.featurelake.gateway.online;

/**
 * What one sync did.
 *
 * @param mode INCREMENTAL, FULL or FULL_FALLBACK
 * @param fromSnapshotId the cursor it started from (exclusive), null for a full sync
 * @param toSnapshotId the head of main it synced to; the cursor now points here
 * @param rowsRead rows read from the changelog (incremental) or from main (full)
 * @param keysWritten entities sent through the guard (one key each)
 * @param keysApplied keys the guard wrote
 * @param keysKeptNewer keys the guard left because Redis held a row at least as new
 * @param keysRetracted keys whose value may have come from a row removed from main and that were
 *     given main's latest row of their entity instead (incremental syncs; 0 for full syncs)
 * @param keysDeleted keys deleted because their entity has no row left on main (likewise)
 */
public record SyncResult(long syncId, String featureView, String mode, Long fromSnapshotId, long toSnapshotId,
    long rowsRead, long keysWritten, long keysApplied, long keysKeptNewer, long keysRetracted, long keysDeleted,
    double seconds, String message) {

  public double keysPerSecond() {
    return seconds <= 0 ? 0 : keysWritten / seconds;
  }
}
