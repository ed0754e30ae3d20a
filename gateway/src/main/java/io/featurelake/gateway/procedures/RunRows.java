package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.runs.BackfillRun;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The row shape procedures use to describe a run. */
final class RunRows {

  static final StructType OUTPUT = new StructType()
      .add("run_id", DataTypes.LongType, false)
      .add("feature_view", DataTypes.StringType, false)
      .add("window", DataTypes.StringType, false)
      .add("state", DataTypes.StringType, false)
      .add("branch", DataTypes.StringType, true)
      .add("audited_snapshot_id", DataTypes.LongType, true)
      .add("row_count", DataTypes.LongType, true)
      .add("report_id", DataTypes.LongType, true)
      .add("published_snapshot_id", DataTypes.LongType, true)
      .add("message", DataTypes.StringType, true)
      .add("branch_kept_until", DataTypes.StringType, true)
      .add("audit_override", DataTypes.StringType, true);

  private RunRows() {}

  static Object[] row(BackfillRun run) {
    return new Object[] {run.runId(), run.featureView(), run.window(), run.state().name(), run.branch(),
        run.auditedSnapshotId(), run.rowCount(), run.reportId(), run.publishedSnapshotId(), run.message(),
        run.state() == io.featurelake.sqlcatalog.runs.RunState.FAILED && run.branchExpiresAt() != null
            ? run.branchExpiresAt().withNano(0).toString() : null,
        run.overrideReason() == null ? null : "by " + run.overrideBy() + ": " + run.overrideReason()};
  }
}
