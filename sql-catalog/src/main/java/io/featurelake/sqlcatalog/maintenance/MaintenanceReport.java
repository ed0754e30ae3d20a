package io.featurelake.sqlcatalog.maintenance;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What one maintenance did (or, for a dry run, would do) to one table. {@code reportId} is 0
 * until the report is stored.
 */
public record MaintenanceReport(long reportId, String tableName, boolean dryRun, long dataFilesBefore,
    long dataFilesAfter, long dataBytesBefore, long dataBytesAfter, long manifestsBefore, long manifestsAfter,
    long snapshotsBefore, long snapshotsAfter, long snapshotsExpired, long orphansRemoved, long orphanBytes,
    List<String> branchesRemoved, long rewrittenFiles, long addedFiles, long durationMs, OffsetDateTime startedAt,
    String message) {

  public MaintenanceReport {
    branchesRemoved = List.copyOf(branchesRemoved);
  }

  public MaintenanceReport withId(long id) {
    return new MaintenanceReport(id, tableName, dryRun, dataFilesBefore, dataFilesAfter, dataBytesBefore, dataBytesAfter,
        manifestsBefore, manifestsAfter, snapshotsBefore, snapshotsAfter, snapshotsExpired, orphansRemoved, orphanBytes,
        branchesRemoved, rewrittenFiles, addedFiles, durationMs, startedAt, message);
  }
}
