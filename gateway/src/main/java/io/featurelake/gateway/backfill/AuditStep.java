package io.featurelake.gateway.backfill;

import io.featurelake.gateway.audit.AuditService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;

/**
 * The audit step of a run: audits the branch's data snapshot, stores the report, and either stamps
 * the branch (PASSED) or alerts and keeps the branch for inspection until it expires (FAILED), or
 * drops it at once when no retention is configured (DROPPED).
 */
final class AuditStep {

  private final AuditService auditor;
  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final RunAlerts alerts;
  private final RunHeartbeat heartbeat;
  private final Duration failedBranchRetention;

  AuditStep(AuditService auditor, RunRepository runs, AuditReportRepository reports, RunAlerts alerts, RunHeartbeat heartbeat,
      Duration failedBranchRetention) {
    this.auditor = auditor;
    this.runs = runs;
    this.reports = reports;
    this.alerts = alerts;
    this.heartbeat = heartbeat;
    this.failedBranchRetention = failedBranchRetention;
  }

  AuditReport auditAndRecord(FeatureViewDefinition view, BackfillRun run, Table table, long dataSnapshot,
      Optional<Row> observedRunStats, Optional<AuditService.PreparedBaseline> baseline, ProgressListener progress) {
    long id = run.runId();
    AuditReport report = reports.save(heartbeat.during(id, progress, "audit",
        () -> auditor.audit(view, run, table, dataSnapshot, observedRunStats, baseline)));
    for (AuditCheck c : report.failures()) {
      progress.onProgress(id, "  FAILED " + c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail());
    }
    if (report.passed()) {
      AppendFiles stamp = table.newAppend().toBranch(run.branch());
      Lineage.stamp(run, report.reportId()).forEach(stamp::set);
      stamp.commit();
      table.refresh();
      long head = table.refs().get(run.branch()).snapshotId();
      runs.transition(id, RunState.PASSED, RunUpdate.none().auditedSnapshotId(head).reportId(report.reportId()),
          "audit report " + report.reportId() + " PASSED (" + report.checks().size() + " checks) on snapshot " + dataSnapshot);
      progress.onProgress(id, "PASSED: audit report " + report.reportId() + " (" + report.verdictLine() + "); branch head "
          + head);
      return report;
    }
    OffsetDateTime expires = failedBranchRetention.isZero() ? null : OffsetDateTime.now(ZoneOffset.UTC).plus(failedBranchRetention);
    runs.transition(id, RunState.FAILED, RunUpdate.none().reportId(report.reportId()).branchExpiresAt(expires)
        .message("audit failed: " + RunAlerts.failureSummary(report)), "audit report " + report.reportId() + " FAILED");
    alerts.auditFailed(run, view.owner(), report, dataSnapshot, table.currentSnapshot().snapshotId());
    if (expires == null) {
      RunCleanup.dropBranch(table, run.branch());
      runs.transition(id, RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed; main untouched");
      progress.onProgress(id, "DROPPED: audit report " + report.reportId() + " FAILED; branch removed, main untouched");
    } else {
      String kept = "branch " + run.branch() + " kept until " + expires.withNano(0) + " (read it as "
          + FeatureTables.tableName(view.name()) + ".branch_" + run.branch() + "; accept the shift with CALL "
          + "lake.platform.publish(run_id => " + id + ", override_reason => '...')); main untouched";
      runs.heartbeat(id, kept);
      progress.onProgress(id, "FAILED: audit report " + report.reportId() + " FAILED; " + kept);
    }
    return report;
  }
}
