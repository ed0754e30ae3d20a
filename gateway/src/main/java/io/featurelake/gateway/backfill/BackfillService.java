package io.featurelake.gateway.backfill;

import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.process.Heartbeat;
import io.featurelake.sqlcatalog.process.OwnerLiveness;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.gateway.audit.AlertSender;
import io.featurelake.gateway.audit.AuditService;
import io.featurelake.gateway.audit.WriteObservation;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.audit.AlertRepository;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.IllegalRunTransitionException;
import io.featurelake.sqlcatalog.runs.NewRun;
import io.featurelake.sqlcatalog.runs.PublishLock;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.time.OffsetDateTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-Audit-Publish for one feature view and window. The computed window replaces its
 * partitions on the branch {@code audit_<run>} cut from main; the audit checks exactly that
 * branch snapshot; only a PASSED report whose snapshot is still the branch head fast-forwards
 * main. A failed audit alerts, keeps the report, drops the branch and leaves main untouched.
 * Every step is a state transition in the catalog database.
 */
public final class BackfillService {

  private static final Logger LOG = LoggerFactory.getLogger(BackfillService.class);
  private static final String MAIN = SnapshotRef.MAIN_BRANCH;
  /** How long to wait, after the write returned, for its observed metrics (delivered on Spark's listener bus). */
  private static final long OBSERVATION_WAIT_MS = 10_000;
  /**
   * How often one publish rebases onto a main that moved again during its re-audit (each
   * compaction or concurrent publish of another window moves it). Beyond it the run stays PASSED.
   */
  static final int MAX_REBASES = 5;
  /** How often a working run records its progress and proves it is alive. */
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private final SparkSession spark;
  private final Platform platform;
  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final AlertSender alerts;
  private final FeatureViewCatalog views;
  private final FeatureTables tables;
  private final PublishLock publishLock;
  private final AuditOverride override;

  public BackfillService(SparkSession spark, Platform platform) {
    this.spark = spark;
    this.platform = platform;
    this.runs = new RunRepository(platform.catalogDatabase());
    this.reports = new AuditReportRepository(platform.catalogDatabase());
    this.alerts = new AlertSender(new AlertRepository(platform.catalogDatabase()), platform.config().alertsWebhookUrl());
    this.views = new FeatureViewCatalog(platform.config().featuresDir(), platform.catalogDatabase());
    this.tables = new FeatureTables(spark);
    this.publishLock = new PublishLock(platform.catalogDatabase());
    this.override = new AuditOverride(runs, reports, alerts, tables, views, publishLock);
  }

  public RunRepository runs() {
    return runs;
  }

  public SparkSession spark() {
    return spark;
  }

  public AuditReportRepository reports() {
    return reports;
  }

  public FeatureViewCatalog views() {
    return views;
  }

  /** Runs the whole lifecycle; returns the run in its final state (PUBLISHED, PASSED or DROPPED). */
  public BackfillResult start(BackfillRequest request, ProgressListener progress) {
    return execute(prepare(request, progress), progress);
  }

  /**
   * A run recorded PENDING with what its execution needs: inputs pinned, the query planned, the
   * table made to fit.
   */
  public record PreparedRun(BackfillRun run, FeatureViewDefinition view, Dataset<Row> computed, Table table) {}

  /**
   * The first half of {@link #start}: everything up to the PENDING run (no Spark job). A request
   * that cannot run (unknown view, refused schema change, missing source) fails here, before any
   * run is recorded.
   */
  public PreparedRun prepare(BackfillRequest request, ProgressListener progress) {
    FeatureViewDefinition view = views.load(request.featureView());
    cleanupAbandoned(view.name());
    Map<String, Long> pins = pinSources(view);
    Dataset<Row> computed = compute(view, request, pins);
    io.featurelake.gateway.audit.Expectations.checkColumns(view, computed); // before anything is created or changed
    List<String> schemaChanges = tables.ensure(view, computed.schema());
    Table table = tables.load(view.name());
    ensureMainExists(table);
    BackfillRun run = record(view, request, pins, progress);
    // A run event too, so the change is in the run's history whichever door started it.
    schemaChanges.forEach(change -> {
      runs.heartbeat(run.runId(), "schema: " + change);
      progress.onProgress(run.runId(), "schema: " + change);
    });
    return new PreparedRun(run, view, computed, table);
  }

  /**
   * For a run whose caller does not wait: only the checks that need no planning (view, window,
   * sources), then the run is recorded PENDING; {@link #plan} does the rest on the worker, where
   * a refused schema change fails the run instead of the call.
   */
  public BackfillRun recordPending(BackfillRequest request, ProgressListener progress) {
    FeatureViewDefinition view = views.load(request.featureView());
    cleanupAbandoned(view.name());
    return record(view, request, pinSources(view), progress);
  }

  /** Plans a run recorded by {@link #recordPending}; a run that cannot be planned ends DROPPED. */
  public PreparedRun plan(BackfillRun run, ProgressListener progress) {
    try {
      FeatureViewDefinition view = views.load(run.featureView());
      if (!view.sha256().equals(run.definitionSha256())) {
        throw PlatformException.invalidState("the definition of %s changed since run %d was queued (sha256 %s, now %s); "
            + "start a new run", view.name(), run.runId(), run.definitionSha256().substring(0, 12), view.sha256().substring(0, 12));
      }
      BackfillRequest request = new BackfillRequest(view.name(), run.startDate(), run.endDate(), run.publishRequested(),
          run.origin(), run.startedBy());
      Dataset<Row> computed = compute(view, request, run.sourceSnapshots());
      io.featurelake.gateway.audit.Expectations.checkColumns(view, computed); // before anything is changed
      List<String> schemaChanges = tables.ensure(view, computed.schema());
      Table table = tables.load(view.name());
      ensureMainExists(table);
      // A run event too, so the change is in the run's history whichever door started it.
      schemaChanges.forEach(change -> {
        runs.heartbeat(run.runId(), "schema: " + change);
        progress.onProgress(run.runId(), "schema: " + change);
      });
      return new PreparedRun(run, view, computed, table);
    } catch (RuntimeException e) {
      failAndDrop(run.runId(), "failed: " + ConciseErrors.message(e), progress);
      throw e;
    }
  }

  private BackfillRun record(FeatureViewDefinition view, BackfillRequest request, Map<String, Long> pins,
      ProgressListener progress) {
    BackfillRun run = runs.create(new NewRun(view.name(), FeatureTables.tableName(view.name()), request.startDate(),
        request.endDate(), view.sha256(), view.gitCommit(), view.gitDirty(), pins, request.publish(), request.startedBy(),
        request.origin(), hostName(), ProcessHandle.current().pid()));
    long id = run.runId();
    progress.onProgress(id, "run " + id + " created for " + view.name() + " " + run.window() + " (definition "
        + view.sha256().substring(0, 12) + ", commit " + (view.gitCommit() == null ? "unknown" : view.gitCommit().substring(0, 8))
        + (view.gitDirty() ? ", dirty" : "") + ", sources " + pins + ")");
    return run;
  }

  /** The second half of {@link #start}: write, audit, publish (the long part). */
  public BackfillResult execute(PreparedRun prepared, ProgressListener progress) {
    BackfillRun run = prepared.run();
    FeatureViewDefinition view = prepared.view();
    Dataset<Row> computed = prepared.computed();
    Table table = prepared.table();
    long id = run.runId();
    try {
      table.refresh();
      long base = table.currentSnapshot().snapshotId();
      table.manageSnapshots().createBranch(run.branch(), base).commit();
      run = runs.transition(id, RunState.COMPUTING, RunUpdate.none().baseSnapshotId(base),
          "branch " + run.branch() + " cut from main@" + base);
      progress.onProgress(id, "COMPUTING: branch " + run.branch() + " cut from main@" + base + "; writing the window");

      BackfillRun computing = run;
      // The PSI bins come from the baseline, so they are fixed before the write that observes the run's counts in them.
      AuditService auditor = new AuditService(spark);
      long planStart = System.nanoTime();
      AuditService.AuditPlan plan = auditor.plan(view, run, table);
      progress.onProgress(id, "baseline: " + plan.baseline().describe(null) + (plan.bins().isEmpty() ? ""
          : "; PSI bins of " + plan.bins().size() + " column(s) fixed in " + (System.nanoTime() - planStart) / 1_000_000 + " ms"));
      CompletableFuture<AuditService.PreparedBaseline> baseline = auditor.prepareBaseline(view, run, plan);
      Optional<Row> observed;
      try (WriteObservation observation = WriteObservation.wrap(spark, LakeNames.runTag(id), view, computed, plan)) {
        withHeartbeat(id, progress, "write", () -> {
          DataFrameWriterV2<Row> writer = observation.rows()
              .writeTo(FeatureTables.tableName(view.name()) + ".branch_" + computing.branch());
          Lineage.of(computing).forEach((k, v) -> writer.option("snapshot-property." + k, v));
          writer.overwritePartitions();
          return null;
        });
        observed = observation.await(OBSERVATION_WAIT_MS);
      }
      table.refresh();
      Snapshot written = table.snapshot(table.refs().get(run.branch()).snapshotId());
      long rows = Long.parseLong(written.summary().getOrDefault("added-records", "0"));
      observed = observed.filter(stats -> matchesSnapshot(stats, rows, written));
      run = runs.transition(id, RunState.AUDITING, RunUpdate.none().writtenSnapshotId(written.snapshotId()).rowCount(rows),
          "wrote " + rows + " rows as snapshot " + written.snapshotId() + " on " + run.branch());
      progress.onProgress(id, "AUDITING: wrote " + rows + " rows (snapshot " + written.snapshotId() + "); auditing");

      AuditReport report = auditAndRecord(view, run, table, written.snapshotId(), observed, prepared(baseline), progress);
      run = runs.find(id).orElseThrow();
      if (report.passed() && run.publishRequested()) {
        run = publish(id, progress);
      }
      return new BackfillResult(run, Optional.of(report));
    } catch (RuntimeException e) {
      failAndDrop(id, "failed: " + ConciseErrors.message(e), progress);
      if (e instanceof PlatformException pe) {
        if (pe.getMessage().contains("run " + id)) {
          throw pe;
        }
        throw new PlatformException(pe.code(), "Backfill run " + id + ": " + pe.getMessage()
            + "; main untouched, branch dropped", e);
      }
      throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Backfill run " + id + " failed: " + ConciseErrors.message(e)
          + "; main untouched, branch dropped", e);
    }
  }

  /** Re-audits the branch head of a run (state PASSED or AUDITING after a crash). */
  public AuditReport audit(long runId, ProgressListener progress) {
    BackfillRun run = find(runId);
    if (run.state() != RunState.PASSED && run.state() != RunState.AUDITING) {
      throw PlatformException.invalidState("Cannot audit run %d: it is %s (only a run whose branch exists, PASSED or "
          + "AUDITING, can be audited)%s", runId, run.state(), run.message() == null ? "" : "; " + run.message());
    }
    FeatureViewDefinition view = views.load(run.featureView());
    Table table = tables.load(run.featureView());
    SnapshotRef head = table.refs().get(run.branch());
    if (head == null) {
      throw PlatformException.invalidState("Cannot audit run %d: its branch %s no longer exists", runId, run.branch());
    }
    if (run.state() == RunState.PASSED) {
      run = runs.transition(runId, RunState.AUDITING, RunUpdate.none(), "re-audit requested");
    }
    long dataSnapshot = dataSnapshotOf(table, head.snapshotId());
    return auditAndRecord(view, run, table, dataSnapshot, Optional.empty(), Optional.empty(), progress);
  }

  /**
   * Publishes a run that FAILED its audit anyway, as {@code by}'s decision for {@code reason}
   * ({@link AuditOverride}); with a null reason, the normal publish of a PASSED run.
   */
  public BackfillRun publish(long runId, String overrideReason, String by, ProgressListener progress) {
    return overrideReason == null ? publish(runId, progress) : override.publish(runId, overrideReason, by, progress);
  }

  /** Publishes a PASSED run: fast-forward main (rebasing onto a moved main first), tag, drop the branch. */
  public BackfillRun publish(long runId, ProgressListener progress) {
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
      failAndDrop(runId, "publish failed: " + ConciseErrors.message(e), progress);
      raisePublishRefused(run, "publish failed: " + ConciseErrors.message(e));
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
    for (int rebases = 0; ; ) {
      table.refresh();
      long mainHead = table.currentSnapshot().snapshotId();
      if (SnapshotUtil.isAncestorOf(table, table.refs().get(run.branch()).snapshotId(), mainHead)) {
        long published = run.auditedSnapshotId();
        try {
          // One metadata commit: main moves, the tag appears and the branch goes, all or nothing.
          table.manageSnapshots().fastForwardBranch(MAIN, run.branch()).createTag(run.tag(), published)
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
      AuditReport again = auditAndRecord(view, run, table, data, Optional.empty(), Optional.empty(), progress);
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
      failAndDrop(run.runId(), "publish refused: main changed the same partitions since the run started (" + what + ")",
          ProgressListener.NONE);
      raisePublishRefused(run, "main changed the same partitions since the run started (" + what + ")");
      throw PlatformException.invalidState("Cannot publish run %d: main changed the same partitions since the run "
          + "started (%s); nothing was published, re-run the backfill on the current main", run.runId(), what);
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
      failAndDrop(run.runId(), "publish refused: main changed the same partitions since the run started", ProgressListener.NONE);
      raisePublishRefused(run, "main changed the same partitions since the run started (" + ConciseErrors.message(conflict) + ")");
      throw PlatformException.invalidState("Cannot publish run %d: main changed the same partitions since the run "
          + "started (%s); nothing was published, re-run the backfill on the current main", run.runId(),
          ConciseErrors.message(conflict));
    }
    table.refresh();
    runs.heartbeat(run.runId(), "rebased: data commit " + run.writtenSnapshotId() + " replayed onto main@" + mainHead
        + " as " + table.refs().get(run.branch()).snapshotId());
  }

  /**
   * Observed metrics stand for the snapshot only if they counted exactly the rows it added (the
   * write was the snapshot's only change: a dynamic overwrite of the window's days).
   */
  private static boolean matchesSnapshot(Row stats, long addedRecords, Snapshot written) {
    long observedRows = stats.getLong(stats.fieldIndex("n"));
    if (observedRows != addedRecords) {
      LOG.warn("Observed {} rows but snapshot {} added {}: the audit will scan the branch", observedRows,
          written.snapshotId(), addedRecords);
      return false;
    }
    return true;
  }

  /** The baseline computed beside the write, or empty if that failed (the audit then computes it). */
  private static Optional<AuditService.PreparedBaseline> prepared(CompletableFuture<AuditService.PreparedBaseline> baseline) {
    try {
      return Optional.of(baseline.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("Baseline metrics beside the write failed ({}); the audit computes them", ConciseErrors.message(e.getCause()));
      return Optional.empty();
    }
  }

  /** Audits, stores the report, and either stamps the branch (PASSED) or alerts and drops it. */
  private AuditReport auditAndRecord(FeatureViewDefinition view, BackfillRun run, Table table, long dataSnapshot,
      Optional<Row> observedRunStats, Optional<AuditService.PreparedBaseline> baseline, ProgressListener progress) {
    long id = run.runId();
    AuditReport computed = withHeartbeat(id, progress, "audit",
        () -> new AuditService(spark).audit(view, run, table, dataSnapshot, observedRunStats, baseline));
    AuditReport report = reports.save(computed);
    for (AuditCheck c : report.checks()) {
      if (!c.passed()) {
        progress.onProgress(id, "  FAILED " + c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail());
      }
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
    } else {
      List<Map<String, Object>> failed = new ArrayList<>();
      for (AuditCheck c : report.failures()) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("check", c.name());
        f.put("column", c.column());
        f.put("observed", c.observed());
        f.put("threshold", c.threshold());
        f.put("detail", c.detail());
        failed.add(f);
      }
      String summary = report.failures().stream()
          .map(c -> c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail())
          .reduce((a, b) -> a + "; " + b).orElse("");
      Duration keep = platform.config().failedBranchRetention();
      OffsetDateTime expires = keep.isZero() ? null : OffsetDateTime.now(java.time.ZoneOffset.UTC).plus(keep);
      runs.transition(id, RunState.FAILED, RunUpdate.none().reportId(report.reportId()).branchExpiresAt(expires)
          .message("audit failed: " + summary), "audit report " + report.reportId() + " FAILED");
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("feature_view", run.featureView());
      fields.put("table", run.tableName());
      fields.put("window", run.window());
      fields.put("report_id", report.reportId());
      fields.put("audited_snapshot_id", dataSnapshot);
      fields.put("main_snapshot_id", table.currentSnapshot().snapshotId());
      fields.put("failed_checks", failed);
      alerts.raise(id, run.featureView(), view.owner(), "AUDIT_FAILED", "Backfill run " + id + " of " + run.featureView()
          + " " + run.window() + " failed its audit (report " + report.reportId() + "): " + summary, fields);
      if (expires == null) {
        dropBranch(table, run.branch());
        runs.transition(id, RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed; main untouched");
        progress.onProgress(id, "DROPPED: audit report " + report.reportId() + " FAILED; branch removed, main untouched");
      } else {
        String kept = "branch " + run.branch() + " kept until " + expires.withNano(0) + " (read it as "
            + FeatureTables.tableName(view.name()) + ".branch_" + run.branch() + "; accept the shift with CALL "
            + "lake.platform.publish(run_id => " + id + ", override_reason => '...')); main untouched";
        runs.heartbeat(id, kept);
        progress.onProgress(id, "FAILED: audit report " + report.reportId() + " FAILED; " + kept);
      }
    }
    return report;
  }

  /**
   * Resolves runs whose owner died (same host, process gone) or went silent (other host, no
   * heartbeat for the configured time): FAILED, then the branch is removed and the run DROPPED.
   */
  public List<BackfillRun> cleanupAbandoned(String featureViewOrNull) {
    List<BackfillRun> resolved = new ArrayList<>();
    OwnerLiveness liveness = OwnerLiveness.forThisProcess(Duration.ofMinutes(platform.config().abandonAfterMinutes()));
    for (BackfillRun run : runs.inStates(EnumSet.of(RunState.PENDING, RunState.COMPUTING, RunState.AUDITING,
        RunState.PASSED, RunState.FAILED))) {
      if (featureViewOrNull != null && !run.featureView().equals(featureViewOrNull)) {
        continue;
      }
      // A failed audit's branch is kept for inspection or an override until it expires; after
      // that (or when it was never kept) the run is finished off whoever owns it. The rest follow
      // the one abandonment rule shared with online syncs (this process's own runs are never judged).
      String reason;
      if (run.state() == RunState.FAILED && run.branchExpiresAt() != null
          && run.branchExpiresAt().isAfter(OffsetDateTime.now())) {
        continue;
      } else if (run.state() == RunState.FAILED) {
        reason = run.branchExpiresAt() == null ? "failed run whose branch was not yet removed"
            : "failed audit's kept branch expired at " + run.branchExpiresAt();
      } else {
        reason = liveness.judge(run.ownerHost(), run.ownerPid(), run.heartbeatAt(), run.state().name())
            .map(OwnerLiveness.Abandoned::reason).orElse(null);
      }
      if (reason == null) {
        continue;
      }
      try {
        if (run.state() != RunState.FAILED) {
          runs.transition(run.runId(), RunState.FAILED, RunUpdate.none().message(reason), reason);
        }
        if (tables.exists(run.featureView())) {
          dropBranch(tables.load(run.featureView()), run.branch());
        }
        resolved.add(runs.transition(run.runId(), RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed"));
        LOG.warn("Run {} of {} resolved: {}", run.runId(), run.featureView(), reason);
      } catch (IllegalRunTransitionException raced) {
        LOG.info("Run {} moved while being cleaned up: {}", run.runId(), raced.getMessage());
      }
    }
    return resolved;
  }

  private void failAndDrop(long runId, String message, ProgressListener progress) {
    try {
      BackfillRun run = find(runId);
      if (run.state().isInFlight()) {
        runs.transition(runId, RunState.FAILED, RunUpdate.none().message(message), message);
      }
      run = find(runId);
      if (run.state() == RunState.FAILED) {
        if (tables.exists(run.featureView())) {
          dropBranch(tables.load(run.featureView()), run.branch());
        }
        runs.transition(runId, RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed");
      }
      progress.onProgress(runId, "DROPPED: " + message);
    } catch (RuntimeException cleanup) {
      LOG.error("Run {} could not be cleaned up after a failure ({}); cleanup_runs() will retry", runId, message, cleanup);
    }
  }

  private void raisePublishRefused(BackfillRun run, String why) {
    try {
      String owner = views.load(run.featureView()).owner();
      alerts.raise(run.runId(), run.featureView(), owner, "PUBLISH_REFUSED", "Publish of run " + run.runId() + " of "
          + run.featureView() + " " + run.window() + " refused: " + why, Map.of("window", run.window()));
    } catch (RuntimeException e) {
      LOG.warn("Could not raise the PUBLISH_REFUSED alert of run {}", run.runId(), e);
    }
  }

  private static void dropBranch(Table table, String branch) {
    table.refresh();
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
  }

  /** The snapshot holding the run's data: the branch head, or its parent if the head is an audit stamp. */
  private static long dataSnapshotOf(Table table, long head) {
    Snapshot s = table.snapshot(head);
    while (s != null && "audit".equals(s.summary().get(Lineage.STAMP)) && s.parentId() != null) {
      s = table.snapshot(s.parentId());
    }
    return s == null ? head : s.snapshotId();
  }

  /** A table created by ensure() has no snapshot; give main an empty root so a branch can be cut from it. */
  private static void ensureMainExists(Table table) {
    if (table.currentSnapshot() == null) {
      try {
        table.newAppend().set(Lineage.STAMP, "table-created").commit();
      } catch (org.apache.iceberg.exceptions.CommitFailedException raced) {
        table.refresh();
      }
      table.refresh();
    }
  }

  private Map<String, Long> pinSources(FeatureViewDefinition view) {
    Map<String, Long> pins = new LinkedHashMap<>();
    for (String source : view.sources()) {
      String[] parts = source.split("\\.");
      if (parts.length != 3 || !parts[0].equalsIgnoreCase(LakeCatalog.NAME)) {
        throw new PlatformException(ErrorCode.INVALID_DEFINITION, view.sourcePath() + ": source '" + source
            + "' must be a table of the lake catalog: lake.<namespace>.<table>");
      }
      TableIdentifier id = TableIdentifier.of(parts[1], parts[2]);
      if (!tables.iceberg().tableExists(id)) {
        throw PlatformException.notFound("Source table %s of feature view %s does not exist; generate demo data with "
            + "./run_backfill.sh --generate or CALL lake.platform.generate_events(...)", source, view.name());
      }
      Snapshot current = tables.iceberg().loadTable(id).currentSnapshot();
      pins.put(source.toLowerCase(java.util.Locale.ROOT), current == null ? null : current.snapshotId());
    }
    return pins;
  }

  private Dataset<Row> compute(FeatureViewDefinition view, BackfillRequest request, Map<String, Long> pins) {
    return PinnedQuery.compute(spark, view, request.startDate(), request.endDate(), pins);
  }

  /** Runs {@code work} while a heartbeat records the run's live progress (Spark stages) every few seconds. */
  private <T> T withHeartbeat(long runId, ProgressListener progress, String what, java.util.concurrent.Callable<T> work) {
    long t0 = System.nanoTime();
    try (Heartbeat ignored = Heartbeat.start("featurelake-progress-" + runId, HEARTBEAT_INTERVAL, () -> {
      String line = what + " running for " + (System.nanoTime() - t0) / 1_000_000_000 + " s" + stageProgress();
      runs.progress(runId, line);
      progress.onProgress(runId, line);
    })) {
      return work.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String stageProgress() {
    StringBuilder out = new StringBuilder();
    var tracker = spark.sparkContext().statusTracker();
    for (int stageId : tracker.getActiveStageIds()) {
      scala.Option<SparkStageInfo> info = tracker.getStageInfo(stageId);
      if (info.isDefined()) {
        out.append(String.format("; stage %d: %d/%d tasks", stageId, info.get().numCompletedTasks(), info.get().numTasks()));
      }
    }
    return out.toString();
  }

  private BackfillRun find(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }

  static String hostName() {
    return ProcessOwner.hostName();
  }
}
