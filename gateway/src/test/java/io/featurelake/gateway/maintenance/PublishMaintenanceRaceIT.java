package io.featurelake.gateway.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Publish and maintenance racing for main, made deterministic by committing at the moment the
 * race is about: a compaction that commits while a rebased run is being re-audited, and a publish
 * that commits after compaction read main and before it commits. Each case uses days of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishMaintenanceRaceIT {

  private static final String VIEW = "item_popularity_daily";
  private static final String TABLE = "lake.features." + VIEW;

  private Path home;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService backfills;
  private MaintenanceService maintenance;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-race-it-");
    Path features = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    backfills = new BackfillService(spark, Platform.current());
    maintenance = new MaintenanceService(spark, Platform.current(), SyncCursorSource.of(Platform.current().catalogDatabase()));
    new EventGenerator().generate(spark, LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 21),
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).build());
    backfill("2023-01-01", "2023-01-02", true);
    // Many small files per day, as many small writers leave them: compaction has work in every day.
    spark.sql("ALTER TABLE " + TABLE + " SET TBLPROPERTIES ('write.distribution-mode' = 'none')");
    spark.conf().set("spark.sql.adaptive.enabled", "false");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private BackfillRun backfill(String start, String end, boolean publish) {
    BackfillRun run = backfills.start(BackfillRequest.of(VIEW, start, end, publish, "test", "tester"), ProgressListener.NONE)
        .run();
    assertThat(run.state()).as("run of [%s, %s)", start, end).isEqualTo(publish ? RunState.PUBLISHED : RunState.PASSED);
    return run;
  }

  private Table table() {
    return new FeatureTables(spark).load(VIEW);
  }

  private long rowsOf(String day) {
    return spark.sql("SELECT count(*) FROM " + TABLE + " WHERE event_date = DATE '" + day + "'").first().getLong(0);
  }

  @Test
  void aCompactionCommittedDuringTheReauditOfARebasedRunIsRebasedOverAndTheRunPublishes() {
    backfill("2023-01-03", "2023-01-04", true);
    // The run re-backfills 2023-01-03, whose files on main the compaction below rewrites.
    BackfillRun run = backfill("2023-01-03", "2023-01-04", false);
    backfill("2023-01-04", "2023-01-05", true); // main moves: the publish must rebase
    AtomicInteger compactions = new AtomicInteger();
    List<String> progress = new ArrayList<>();
    BackfillRun published = backfills.publish(run.runId(), (id, line) -> {
      progress.add(line);
      if (line.startsWith("rebased onto main@") && compactions.get() == 0) {
        // The re-audit starts after this line: compaction commits to main now.
        RewriteDataFiles.Result r = SparkActions.get(spark).rewriteDataFiles(table()).option("min-input-files", "2")
            .binPack().execute();
        assertThat(r.rewrittenDataFilesCount()).isGreaterThan(1);
        compactions.incrementAndGet();
      }
    });
    assertThat(compactions).hasValue(1);
    assertThat(published.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(backfills.runs().events(run.runId())).extracting(RunEvent::message)
        .anySatisfy(m -> assertThat(m).startsWith("rebased onto main@").endsWith("(rebase 1 of at most 5); re-auditing"))
        .anySatisfy(m -> assertThat(m).startsWith("rebased onto main@").endsWith("(rebase 2 of at most 5); re-auditing"))
        .anySatisfy(m -> assertThat(m).endsWith("branch removed (after 2 rebase(s))"));
    Table t = table();
    Snapshot head = t.currentSnapshot();
    assertThat(head.snapshotId()).isEqualTo(published.publishedSnapshotId());
    assertThat(t.snapshot(head.parentId()).summary()).containsEntry("featurelake.rebased-from",
        String.valueOf(run.writtenSnapshotId()));
    assertThat(rowsOf("2023-01-03")).isEqualTo(run.rowCount());
    assertThat(spark.sql("SELECT count(*) - count(DISTINCT item_id, event_date) FROM " + TABLE).first().getLong(0)).isZero();
  }

  @Test
  void aRealConflictFailsInOneLineNamingTheDays() {
    BackfillRun loser = backfill("2023-01-08", "2023-01-10", false);
    BackfillRun winner = backfill("2023-01-09", "2023-01-11", true);
    long mainBefore = table().currentSnapshot().snapshotId();
    assertThatThrownBy(() -> backfills.publish(loser.runId(), ProgressListener.NONE))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_STATE))
        .hasMessage("Cannot publish run " + loser.runId() + ": main changed the same partitions since the run started "
            + "(2023-01-09 by run " + winner.runId() + " (snapshot " + winner.writtenSnapshotId() + ")); nothing was "
            + "published, re-run the backfill on the current main");
    assertThat(backfills.runs().find(loser.runId()).orElseThrow().state()).isEqualTo(RunState.DROPPED);
    assertThat(table().currentSnapshot().snapshotId()).isEqualTo(mainBefore);
  }

  @Test
  void maintenanceThatLosesTheCommitRaceToAPublishRetriesAndStoresItsReport() {
    backfill("2023-01-14", "2023-01-15", true);
    BackfillRun run = backfill("2023-01-14", "2023-01-15", false);
    AtomicInteger publishes = new AtomicInteger();
    maintenance.compaction.started = () -> {
      if (publishes.getAndIncrement() == 0) {
        // Compaction has read main; the publish replaces the day whose files it is rewriting.
        assertThat(backfills.publish(run.runId(), ProgressListener.NONE).state()).isEqualTo(RunState.PUBLISHED);
      }
    };
    List<MaintenanceReport> reports;
    try {
      reports = maintenance.run(MaintenanceRequest.of(VIEW, 7, 1, 64 * 1024, false, false, 24));
    } finally {
      maintenance.compaction.started = () -> { };
    }
    assertThat(publishes).hasValue(2);
    MaintenanceReport report = reports.get(0);
    assertThat(report.message()).contains("compaction attempt 1 lost a commit race to a concurrent commit on main (now main@"
        + backfills.runs().find(run.runId()).orElseThrow().publishedSnapshotId() + "): retried; compacted ");
    assertThat(report.message()).doesNotContain("Missing required files").doesNotContain("\n");
    assertThat(report.rewrittenFiles()).isPositive();
    assertThat(maintenance.reports().list(TABLE, 1)).extracting(MaintenanceReport::reportId).containsExactly(report.reportId());
    assertThat(rowsOf("2023-01-14")).isEqualTo(run.rowCount());
  }

  @Test
  void maintenanceThatKeepsLosingTheRaceSkipsCompactionInOneLineAndStoresItsReport() {
    List<BackfillRun> runs = new ArrayList<>();
    for (String day : List.of("2023-01-17", "2023-01-18", "2023-01-19")) {
      String next = LocalDate.parse(day).plusDays(1).toString();
      backfill(day, next, true);
      runs.add(backfill(day, next, false));
    }
    AtomicInteger attempt = new AtomicInteger();
    maintenance.compaction.started = () -> {
      int i = attempt.getAndIncrement();
      if (i < runs.size()) {
        backfills.publish(runs.get(i).runId(), ProgressListener.NONE);
      }
    };
    List<MaintenanceReport> reports;
    try {
      reports = maintenance.run(MaintenanceRequest.of(VIEW, 7, 1, 64 * 1024, false, false, 24));
    } finally {
      maintenance.compaction.started = () -> { };
    }
    MaintenanceReport report = reports.get(0);
    long head = table().currentSnapshot().snapshotId();
    assertThat(report.message()).contains("compaction attempt 3 lost a commit race to a concurrent commit on main (now main@")
        .contains("; compaction skipped after 3 attempts, nothing compacted (re-run maintenance)")
        .doesNotContain("Missing required files");
    assertThat(report.rewrittenFiles()).isZero();
    assertThat(maintenance.reports().list(TABLE, 1)).extracting(MaintenanceReport::reportId).containsExactly(report.reportId());
    assertThat(runs).allSatisfy(r -> assertThat(backfills.runs().find(r.runId()).orElseThrow().state())
        .isEqualTo(RunState.PUBLISHED));
    assertThat(head).isPositive();
  }

  @Test
  void aLostRaceIsDescribedInOneShortLine() {
    String paths = String.join(", ", java.util.Collections.nCopies(400, "file:/warehouse/features/v/data/part-00000.parquet"));
    RuntimeException raw = new RuntimeException("Cannot commit rewrite",
        new org.apache.iceberg.exceptions.ValidationException("Missing required files to delete: %s", paths));
    String line = Compaction.describe(raw);
    assertThat(line).startsWith("lost a commit race to a concurrent commit on main (ValidationException: Missing required "
        + "files to delete: file:/warehouse").endsWith("...)").doesNotContain("\n");
    assertThat(line.length()).isLessThan(220);
  }
}
