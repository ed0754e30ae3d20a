package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.runs.BackfillRun;

/** The row shape procedures use to describe a run (start_backfill, publish, cleanup_runs, cancel_run). */
final class RunRows {

  /** The columns, declared once. */
  record Row(long runId, @Required String featureView, @Required String window, @Required String state, String branch,
      Long auditedSnapshotId, Long rowCount, Long reportId, Long publishedSnapshotId, String message,
      String branchKeptUntil, String auditOverride) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private RunRows() {}

  static Row row(BackfillRun run) {
    return new Row(run.runId(), run.featureView(), run.window(), run.state().name(), run.branch(),
        run.auditedSnapshotId(), run.rowCount(), run.reportId(), run.publishedSnapshotId(), run.message(),
        run.state() == io.featurelake.sqlcatalog.runs.RunState.FAILED && run.branchExpiresAt() != null
            ? run.branchExpiresAt().withNano(0).toString() : null,
        run.overrideReason() == null ? null : "by " + run.overrideBy() + ": " + run.overrideReason());
  }
}
