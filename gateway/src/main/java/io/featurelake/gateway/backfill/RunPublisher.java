package io.featurelake.gateway.backfill;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.IllegalRunTransitionException;
import io.featurelake.sqlcatalog.runs.PublishLock;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a PASSED run under the table's publish lock: fast-forward main to the audited branch
 * head, tag it {@code run_<id>} and remove the branch in one metadata commit. When main moved since
 * the branch was cut, the run's partitions are rebased onto it (refused, naming the days, when main
 * changed the same partitions) and re-audited first.
 */
final class RunPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(RunPublisher.class);
  /**
   * How often one publish rebases onto a main that moved again during its re-audit (each
   * compaction or concurrent publish of another window moves it). Beyond it the run stays PASSED.
   */
  static final int MAX_REBASES = 5;

  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final FeatureTables tables;
  private final FeatureViewCatalog views;
  private final PublishLock publishLock;
  private final AuditStep auditStep;
  private final RunCleanup cleanup;
  private final RunAlerts alerts;

  RunPublisher(RunRepository runs, AuditReportRepository reports, FeatureTables tables, FeatureViewCatalog views,
      PublishLock publishLock, AuditStep auditStep, RunCleanup cleanup, RunAlerts alerts) {
    this.runs = runs;
    this.reports = reports;
    this.tables = tables;
    this.views = views;
    this.publishLock = publishLock;
    this.auditStep = auditStep;
    this.cleanup = cleanup;
    this.alerts = alerts;
  }

  BackfillRun publish(long runId, ProgressListener progress) {
    BackfillRun run = find(runId);
    if (run.state() != RunState.PASSED) {
      String why = run.state() == RunState.PUBLISHED ? "it is already PUBLISHED as snapshot " + run.publishedSnapshotId()
          : "its state is " + run.state() + (run.reportId() == null ? "" : " (audit report " + run.reportId() + ")")
              + (run.message() == null ? "" : ": " + run.message());
      throw PlatformException.invalidState("Cannot publish run %d: %s", runId, why);
    }
    try {
      return publishLock.withLock(run.tableName(), () -> publishLocked(runId, progress));
    } catch (PlatformException | IllegalRunTransitionException e) {
      throw e;
    } catch (Exception e) {
      cleanup.failAndDrop(runId, "publish failed: " + ConciseErrors.message(e), progress);
      alerts.publishRefused(run, "publish failed: " + ConciseErrors.message(e));
      throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Cannot publish run " + runId + ": "
          + ConciseErrors.message(e) + "; main untouched, branch dropped", e);
    }
  }

  private BackfillRun publishLocked(long runId, ProgressListener progress) {
    BackfillRun run = find(runId);
    if (run.state() != RunState.PASSED) {
      throw PlatformException.invalidState("Cannot publish run %d: its state is %s (changed while waiting for the publish lock)",
          runId, run.state());
    }
    AuditReport report = reports.find(run.reportId()).orElseThrow();
    Table table = tables.load(run.featureView());
    SnapshotRef head = table.refs().get(run.branch());
    if (head == null) {
      throw PlatformException.invalidState("Cannot publish run %d: its branch %s no longer exists", runId, run.branch());
    }
    if (!report.passed()) {
      throw PlatformException.invalidState("Cannot publish run %d: audit report %d is FAILED", runId, report.reportId());
    }
    if (head.snapshotId() != run.auditedSnapshotId()) {
      throw PlatformException.invalidState("Cannot publish run %d: branch %s moved since the audit (audited %d, head %d); "
          + "re-audit with CALL lake.platform.audit_branch(%d)", runId, run.branch(), run.auditedSnapshotId(),
          head.snapshotId(), runId);
    }
    boolean fresh = true; // just loaded
    for (int rebases = 0; ; ) {
      if (!fresh) {
        table.refresh();
      }
      fresh = false;
      long mainHead = table.currentSnapshot().snapshotId();
      if (SnapshotUtil.isAncestorOf(table, table.refs().get(run.branch()).snapshotId(), mainHead)) {
        long published = run.auditedSnapshotId();
        try {
          // One metadata commit: main moves, the tag appears and the branch goes, all or nothing.
          table.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, run.branch()).createTag(run.tag(), published)
              .removeBranch(run.branch()).commit();
        } catch (RuntimeException raced) {
          table.refresh();
          if (table.currentSnapshot().snapshotId() == mainHead) {
            throw raced;
          }
          // main moved between the check and the commit (a compaction, Iceberg's rewrite_data_files): rebase again.
          LOG.info("Run {}: main moved while publishing ({}); rebasing again", runId, ConciseErrors.message(raced));
          continue;
        }
        run = runs.transition(runId, RunState.PUBLISHED, RunUpdate.none().publishedSnapshotId(published).publishedNow(),
            "main fast-forwarded to " + published + ", tagged " + run.tag() + ", branch removed"
                + (rebases == 0 ? "" : " (after " + rebases + " rebase(s))"));
        progress.onProgress(runId, "PUBLISHED: main@" + published + " (tag " + run.tag() + ")");
        return run;
      }
      if (rebases == MAX_REBASES) {
        throw PlatformException.invalidState("Cannot publish run %d: main kept moving while the run was re-audited "
            + "(rebased %d times, main@%d now); nothing was published and the run is still PASSED: publish it again",
            runId, rebases, mainHead);
      }
      rebases++;
      progress.onProgress(runId, "main moved since the branch was cut (main@" + run.baseSnapshotId() + " -> main@"
          + mainHead + "): rebasing the run's partitions onto main (rebase " + rebases + " of at most " + MAX_REBASES + ")");
      rebase(table, run, mainHead);
      String rebased = "rebased onto main@" + mainHead + " (rebase " + rebases + " of at most " + MAX_REBASES + "); re-auditing";
      run = runs.transition(runId, RunState.AUDITING, RunUpdate.none(), rebased);
      progress.onProgress(runId, rebased);
      table.refresh();
      FeatureViewDefinition view = views.load(run.featureView());
      long data = dataSnapshotOf(table, table.refs().get(run.branch()).snapshotId());
      AuditReport again = auditStep.auditAndRecord(view, run, table, data, Optional.empty(), Optional.empty(), progress);
      if (!again.passed()) {
        return find(runId);
      }
      run = find(runId);
    }
  }

  /**
   * Replays the run's data commit onto the current main, on its own branch: the same data files,
   * replacing the same partitions. Refused, naming the days, when a commit to main since the
   * branch was cut changed one of the run's partitions with data (see {@link RebaseConflicts};
   * compactions do not count).
   */
  private void rebase(Table table, BackfillRun run, long mainHead) {
    List<String> conflicts = RebaseConflicts.between(table, run.baseSnapshotId(), mainHead, run.writtenSnapshotId());
    if (!conflicts.isEmpty()) {
      String what = String.join("; ", conflicts);
      refuse(run, "main changed the same partitions since the run started (" + what + ")", what);
    }
    Snapshot data = table.snapshot(run.writtenSnapshotId());
    List<DataFile> files = new ArrayList<>();
    data.addedDataFiles(table.io()).forEach(files::add);
    table.manageSnapshots().replaceBranch(run.branch(), mainHead).commit();
    ReplacePartitions replace = table.newReplacePartitions().toBranch(run.branch());
    files.forEach(replace::addFile);
    Lineage.of(run).forEach(replace::set);
    replace.set(Lineage.PREFIX + "rebased-from", String.valueOf(run.writtenSnapshotId()));
    try {
      replace.commit();
    } catch (ValidationException conflict) {
      refuse(run, "main changed the same partitions since the run started (" + ConciseErrors.message(conflict) + ")",
          ConciseErrors.message(conflict));
    }
    table.refresh();
    runs.heartbeat(run.runId(), "rebased: data commit " + run.writtenSnapshotId() + " replayed onto main@" + mainHead
        + " as " + table.refs().get(run.branch()).snapshotId());
  }

  private void refuse(BackfillRun run, String why, String what) {
    cleanup.failAndDrop(run.runId(), "publish refused: " + why, ProgressListener.NONE);
    alerts.publishRefused(run, why);
    throw PlatformException.invalidState("Cannot publish run %d: main changed the same partitions since the run "
        + "started (%s); nothing was published, re-run the backfill on the current main", run.runId(), what);
  }

  /** The snapshot holding the run's data: the branch head, or its parent if the head is an audit stamp. */
  static long dataSnapshotOf(Table table, long head) {
    Snapshot s = table.snapshot(head);
    while (s != null && "audit".equals(s.summary().get(Lineage.STAMP)) && s.parentId() != null) {
      s = table.snapshot(s.parentId());
    }
    return s == null ? head : s.snapshotId();
  }

  private BackfillRun find(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }
}
