package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.time.OffsetDateTime;
import org.apache.spark.sql.types.StructType;

/** The output row of run_maintenance and maintenance_reports: one stored report. */
final class MaintenanceRows {

  /** The columns, declared once. */
  record Row(long reportId, @Required String tableName, boolean dryRun, long dataFilesBefore, long dataFilesAfter,
      long dataBytesBefore, long dataBytesAfter, long manifestsBefore, long manifestsAfter, long snapshotsBefore,
      long snapshotsAfter, long snapshotsExpired, long orphansRemoved, long orphanBytes, @Required String branchesRemoved,
      long rewrittenFiles, long addedFiles, long durationMs, @Required OffsetDateTime startedAt, String message) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);
  static final StructType OUTPUT = SCHEMA.struct();

  private MaintenanceRows() {}

  static Object[] row(MaintenanceReport r) {
    return SCHEMA.values(new Row(r.reportId(), r.tableName(), r.dryRun(), r.dataFilesBefore(), r.dataFilesAfter(),
        r.dataBytesBefore(), r.dataBytesAfter(), r.manifestsBefore(), r.manifestsAfter(), r.snapshotsBefore(),
        r.snapshotsAfter(), r.snapshotsExpired(), r.orphansRemoved(), r.orphanBytes(), String.join(",", r.branchesRemoved()),
        r.rewrittenFiles(), r.addedFiles(), r.durationMs(), r.startedAt(), r.message()));
  }
}
