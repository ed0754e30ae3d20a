package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.time.OffsetDateTime;

/**
 * The output rows of maintenance_reports (one stored report) and run_maintenance (the same
 * columns, NULL for a call that returned at once, and the job that will do the work).
 */
final class MaintenanceRows {

  /** The columns, declared once. */
  record Row(long reportId, @Required String tableName, boolean dryRun, long dataFilesBefore, long dataFilesAfter,
      long dataBytesBefore, long dataBytesAfter, long manifestsBefore, long manifestsAfter, long snapshotsBefore,
      long snapshotsAfter, long snapshotsExpired, long orphansRemoved, long orphanBytes, @Required String branchesRemoved,
      long rewrittenFiles, long addedFiles, long durationMs, @Required OffsetDateTime startedAt, String message) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  /** A run_maintenance row: a report's columns, all NULL while the work is only queued, then its job. */
  record CallRow(Long reportId, @Required String tableName, Boolean dryRun, Long dataFilesBefore, Long dataFilesAfter,
      Long dataBytesBefore, Long dataBytesAfter, Long manifestsBefore, Long manifestsAfter, Long snapshotsBefore,
      Long snapshotsAfter, Long snapshotsExpired, Long orphansRemoved, Long orphanBytes, String branchesRemoved,
      Long rewrittenFiles, Long addedFiles, Long durationMs, OffsetDateTime startedAt, String message, Long jobId) {}

  static final RowSchema<CallRow> CALL_SCHEMA = RowSchema.of(CallRow.class);

  private MaintenanceRows() {}

  /** A report the call made while the caller waited. */
  static CallRow done(MaintenanceReport r) {
    return new CallRow(r.reportId(), r.tableName(), r.dryRun(), r.dataFilesBefore(), r.dataFilesAfter(),
        r.dataBytesBefore(), r.dataBytesAfter(), r.manifestsBefore(), r.manifestsAfter(), r.snapshotsBefore(),
        r.snapshotsAfter(), r.snapshotsExpired(), r.orphansRemoved(), r.orphanBytes(), String.join(",", r.branchesRemoved()),
        r.rewrittenFiles(), r.addedFiles(), r.durationMs(), r.startedAt(), r.message(), null);
  }

  /** The one row of a call that returned at once: what it will maintain, and its job. */
  static CallRow queued(String table, boolean dryRun, String message, long jobId) {
    return new CallRow(null, table, dryRun, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, message, jobId);
  }

  static Row row(MaintenanceReport r) {
    return new Row(r.reportId(), r.tableName(), r.dryRun(), r.dataFilesBefore(), r.dataFilesAfter(),
        r.dataBytesBefore(), r.dataBytesAfter(), r.manifestsBefore(), r.manifestsAfter(), r.snapshotsBefore(),
        r.snapshotsAfter(), r.snapshotsExpired(), r.orphansRemoved(), r.orphanBytes(), String.join(",", r.branchesRemoved()),
        r.rewrittenFiles(), r.addedFiles(), r.durationMs(), r.startedAt(), r.message());
  }
}
