package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The output row of run_maintenance and maintenance_reports: one stored report. */
final class MaintenanceRows {

  static final StructType OUTPUT = new StructType()
      .add("report_id", DataTypes.LongType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("dry_run", DataTypes.BooleanType, false)
      .add("data_files_before", DataTypes.LongType, false)
      .add("data_files_after", DataTypes.LongType, false)
      .add("data_bytes_before", DataTypes.LongType, false)
      .add("data_bytes_after", DataTypes.LongType, false)
      .add("manifests_before", DataTypes.LongType, false)
      .add("manifests_after", DataTypes.LongType, false)
      .add("snapshots_before", DataTypes.LongType, false)
      .add("snapshots_after", DataTypes.LongType, false)
      .add("snapshots_expired", DataTypes.LongType, false)
      .add("orphans_removed", DataTypes.LongType, false)
      .add("orphan_bytes", DataTypes.LongType, false)
      .add("branches_removed", DataTypes.StringType, false)
      .add("rewritten_files", DataTypes.LongType, false)
      .add("added_files", DataTypes.LongType, false)
      .add("duration_ms", DataTypes.LongType, false)
      .add("started_at", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true);

  private MaintenanceRows() {}

  static Object[] row(MaintenanceReport r) {
    return new Object[] {r.reportId(), r.tableName(), r.dryRun(), r.dataFilesBefore(), r.dataFilesAfter(),
        r.dataBytesBefore(), r.dataBytesAfter(), r.manifestsBefore(), r.manifestsAfter(), r.snapshotsBefore(),
        r.snapshotsAfter(), r.snapshotsExpired(), r.orphansRemoved(), r.orphanBytes(), String.join(",", r.branchesRemoved()),
        r.rewrittenFiles(), r.addedFiles(), r.durationMs(), r.startedAt().toString(), r.message()};
  }
}
