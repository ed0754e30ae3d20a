package io.featurelake.gateway.backfill;

import io.featurelake.gateway.lake.PinnedQuery;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.gateway.alerts.AlertSender;
import io.featurelake.gateway.audit.AuditService;
import io.featurelake.gateway.audit.WriteObservation;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.NewRun;
import io.featurelake.sqlcatalog.runs.PublishLock;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
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
 *
 * <p>This class is the orchestration (prepare, pin, write with the audit observing it); the other
 * jobs are beside it: {@link AuditStep} (audit, store the report, stamp or fail the branch),
 * {@link RunPublisher} (publish and rebase), {@link AuditOverride} (a person's override),
 * {@link RunAlerts} (alert payloads), {@link RunCleanup} (failed and abandoned runs) and
 * {@link RunHeartbeat} (progress while a step runs).
 */
public final class BackfillService {

  private static final Logger LOG = LoggerFactory.getLogger(BackfillService.class);
  /** How long to wait, after the write returned, for its observed metrics (delivered on Spark's listener bus). */
  private static final long OBSERVATION_WAIT_MS = 10_000;

  private final SparkSession spark;
  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final FeatureViewCatalog views;
  private final FeatureTables tables;
  private final AuditService auditor;
  private final RunHeartbeat heartbeat;
  private final RunCleanup cleanup;
  private final AuditStep auditStep;
  private final RunPublisher publisher;
  private final AuditOverride override;

  public BackfillService(SparkSession spark, Platform platform) {
    this.spark = spark;
    this.runs = new RunRepository(platform.catalogDatabase());
    this.reports = new AuditReportRepository(platform.catalogDatabase());
    this.views = new FeatureViewCatalog(platform.config().featuresDir(), platform.catalogDatabase());
    this.tables = new FeatureTables(spark);
    this.auditor = new AuditService(spark, reports);
    this.heartbeat = new RunHeartbeat(spark, runs);
    this.cleanup = new RunCleanup(runs, tables, Duration.ofMinutes(platform.config().abandonAfterMinutes()));
    RunAlerts alerts = new RunAlerts(AlertSender.of(platform), views);
    this.auditStep = new AuditStep(auditor, runs, reports, alerts, heartbeat, platform.config().failedBranchRetention());
    PublishLock publishLock = new PublishLock(platform.catalogDatabase());
    this.publisher = new RunPublisher(runs, reports, tables, views, publishLock, auditStep, cleanup, alerts);
    this.override = new AuditOverride(runs, reports, alerts, tables, publishLock);
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
    io.featurelake.gateway.lake.Expectations.checkColumns(view, computed); // before anything is created or changed
    FeatureTables.Ensured ensured = tables.ensureTable(view, computed.schema());
    List<String> schemaChanges = ensured.changes();
    Table table = ensured.table();
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
      io.featurelake.gateway.lake.Expectations.checkColumns(view, computed); // before anything is changed
      FeatureTables.Ensured ensured = tables.ensureTable(view, computed.schema());
      List<String> schemaChanges = ensured.changes();
      Table table = ensured.table();
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
      long planStart = System.nanoTime();
      AuditService.AuditPlan plan = auditor.plan(view, run, table);
      progress.onProgress(id, "baseline: " + plan.baseline().describe(null) + (plan.bins().isEmpty() ? ""
          : "; PSI bins of " + plan.bins().size() + " column(s) " + plan.binsFrom() + ", fixed in "
              + (System.nanoTime() - planStart) / 1_000_000 + " ms"));
      CompletableFuture<AuditService.PreparedBaseline> baseline = auditor.prepareBaseline(view, run, plan);
      Optional<Row> observed;
      try (WriteObservation observation = WriteObservation.wrap(spark, LakeNames.runTag(id), view, computed, plan)) {
        heartbeat.during(id, progress, "write", () -> {
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

      AuditReport report = auditStep.auditAndRecord(view, run, table, written.snapshotId(), observed, prepared(baseline),
          progress);
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
    long dataSnapshot = RunPublisher.dataSnapshotOf(table, head.snapshotId());
    return auditStep.auditAndRecord(view, run, table, dataSnapshot, Optional.empty(), Optional.empty(), progress);
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
    return publisher.publish(runId, progress);
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

  /**
   * Resolves runs whose owner died (same host, process gone) or went silent (other host, no
   * heartbeat for the configured time), and failed runs whose kept branch expired: FAILED, then the
   * branch is removed and the run DROPPED.
   */
  public List<BackfillRun> cleanupAbandoned(String featureViewOrNull) {
    return cleanup.abandoned(featureViewOrNull);
  }

  /** {@code drop_run}: discards a FAILED run (kept branch) or a PASSED one nobody will publish; see {@link RunCleanup#drop}. */
  public BackfillRun drop(long runId, String user) {
    return cleanup.drop(runId, user);
  }

  private void failAndDrop(long runId, String message, ProgressListener progress) {
    cleanup.failAndDrop(runId, message, progress);
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
      Snapshot current;
      try {
        current = tables.iceberg().loadTable(id).currentSnapshot();
      } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
        throw PlatformException.notFound("Source table %s of feature view %s does not exist; generate demo data with "
            + "./run_backfill.sh --generate or CALL lake.platform.generate_events(...)", source, view.name());
      }
      pins.put(source.toLowerCase(java.util.Locale.ROOT), current == null ? null : current.snapshotId());
    }
    return pins;
  }

  private Dataset<Row> compute(FeatureViewDefinition view, BackfillRequest request, Map<String, Long> pins) {
    return PinnedQuery.compute(spark, view, request.startDate(), request.endDate(), pins);
  }

  private BackfillRun find(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }

  static String hostName() {
    return ProcessOwner.hostName();
  }
}
