package io.featurelake.gateway.backfill;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.PublishLock;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * A person's decision to publish a run that failed its audit (a legitimate shift: a holiday, a
 * launch, a fixed upstream bug): the kept branch is stamped with the reason and who gave it
 * ({@code featurelake.audit-override} on main's snapshot summary), fast-forwarded onto main and
 * tagged like any publish; the run, its report and the alert log record the override. Only a
 * FAILED run whose branch is still kept, and only onto the main it was cut from (the audit was
 * about that main; a moved main needs a fresh run).
 */
final class AuditOverride {

  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final RunAlerts alerts;
  private final FeatureTables tables;
  private final PublishLock publishLock;

  AuditOverride(RunRepository runs, AuditReportRepository reports, RunAlerts alerts, FeatureTables tables,
      PublishLock publishLock) {
    this.runs = runs;
    this.reports = reports;
    this.alerts = alerts;
    this.tables = tables;
    this.publishLock = publishLock;
  }

  BackfillRun publish(long runId, String reason, String by, ProgressListener progress) {
    if (reason == null || reason.isBlank()) {
      throw PlatformException.invalidArgument("override_reason must say why the failed audit is accepted, got '%s'",
          reason == null ? "" : reason);
    }
    BackfillRun run = find(runId);
    checkOverridable(run);
    try {
      return publishLock.withLock(run.tableName(), () -> publishLocked(runId, reason.strip(), by, progress));
    } catch (PlatformException e) {
      throw e;
    } catch (Exception e) {
      throw new PlatformException(io.featurelake.sqlcatalog.errors.ErrorCode.EXTERNAL_FAILURE, "Cannot publish run "
          + runId + " with an override: " + io.featurelake.gateway.errors.ConciseErrors.message(e)
          + "; main untouched, branch kept", e);
    }
  }

  private BackfillRun publishLocked(long runId, String reason, String by, ProgressListener progress) {
    BackfillRun run = find(runId);
    checkOverridable(run);
    Table table = tables.load(run.featureView());
    SnapshotRef head = table.refs().get(run.branch());
    if (head == null) {
      throw PlatformException.invalidState("Cannot publish run %d with an override: its branch %s no longer exists "
          + "(expired or dropped); re-run the backfill", runId, run.branch());
    }
    long mainHead = table.currentSnapshot().snapshotId();
    if (!SnapshotUtil.isAncestorOf(table, head.snapshotId(), mainHead)) {
      throw PlatformException.invalidState("Cannot publish run %d with an override: main moved since its branch was cut "
          + "(main@%d -> main@%d), so its audit no longer describes what would be published; re-run the backfill",
          runId, run.baseSnapshotId(), mainHead);
    }
    AuditReport report = reports.find(run.reportId()).orElseThrow();
    String decision = "by " + by + ": " + reason;
    AppendFiles stamp = table.newAppend().toBranch(run.branch());
    Lineage.stamp(run, report.reportId()).forEach(stamp::set);
    stamp.set(Lineage.AUDIT_OVERRIDE, decision);
    stamp.set(Lineage.AUDIT_OVERRIDE_BY, by);
    stamp.commit();
    table.refresh();
    long published = table.refs().get(run.branch()).snapshotId();
    table.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, run.branch()).createTag(run.tag(), published)
        .removeBranch(run.branch()).commit();
    reports.recordOverride(report.reportId(), by, reason);
    run = runs.transition(runId, RunState.PUBLISHED, RunUpdate.none().auditedSnapshotId(published)
        .publishedSnapshotId(published).publishedNow().override(by, reason).branchExpiresAt(null),
        "published despite FAILED audit report " + report.reportId() + ", override " + decision
            + "; main fast-forwarded to " + published + ", tagged " + run.tag());
    alerts.auditOverride(run, report, by, reason, published);
    progress.onProgress(runId, "PUBLISHED with override " + decision + ": main@" + published + " (tag " + run.tag() + ")");
    return run;
  }

  private static void checkOverridable(BackfillRun run) {
    if (run.state() == RunState.PASSED) {
      throw PlatformException.invalidState("Cannot publish run %d with an override: it PASSED its audit; publish it "
          + "without override_reason", run.runId());
    }
    if (run.state() != RunState.FAILED || run.reportId() == null) {
      throw PlatformException.invalidState("Cannot publish run %d with an override: its state is %s%s; only a run that "
          + "FAILED its audit and whose branch is kept can be", run.runId(), run.state(),
          run.state() == RunState.DROPPED ? " (branch removed)" : "");
    }
  }

  private BackfillRun find(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }
}
