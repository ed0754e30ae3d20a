package io.featurelake.gateway.lineage;

import static io.featurelake.gateway.testing.JdbcRows.execute;
import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.features.FeatureViewRegistry;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Time travel, lineage and reproduce_run end to end through JDBC, on real Spark, Iceberg and the
 * embedded catalog database. One story: run 1 publishes [01-02, 01-05); the raw events of
 * 01-04..01-06 are regenerated with another seed; run 2 publishes the overlapping [01-04, 01-07).
 * The tests run in order because later ones change main (compaction, an out-of-band write).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReproducibilityIT {

  private static final String VIEW = "user_activity_daily";
  private static final String TABLE = "lake.features.user_activity_daily";
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Path home;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService backfills;
  private BackfillRun run1;
  private BackfillRun run2;
  private String betweenPublishes;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-repro-it-");
    Path features = lenientDefinitionsInGit(home.resolve("features"));
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    backfills = new BackfillService(spark, Platform.current());
    generate(LocalDate.of(2022, 12, 25), LocalDate.of(2023, 1, 10), 42);

    run1 = backfill("2023-01-02", "2023-01-05", true);
    Thread.sleep(50);
    betweenPublishes = TS.format(Instant.now());
    Thread.sleep(50);
    // Different raw rows for the overlap, so the two runs' 2023-01-04 differ.
    generate(LocalDate.of(2023, 1, 4), LocalDate.of(2023, 1, 7), 7);
    run2 = backfill("2023-01-04", "2023-01-07", true);
    assertThat(List.of(run1.state(), run2.state())).containsOnly(RunState.PUBLISHED);
  }

  /**
   * The shipped user_activity_daily with drift checks relaxed: the story regenerates raw events
   * with another seed between the runs (so the overlap day differs), which the same-window
   * baseline would otherwise flag. Committed to a fresh git repository so runs carry a real commit.
   */
  private static Path lenientDefinitionsInGit(Path dir) throws Exception {
    Path shipped = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    Files.createDirectories(dir);
    Files.copy(shipped.resolve(VIEW + ".sql"), dir.resolve(VIEW + ".sql"));
    Files.writeString(dir.resolve(VIEW + ".yaml"), Files.readString(shipped.resolve(VIEW + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100"));
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "-c", "user.name=tester", "-c", "user.email=tester@example.com", "commit", "-q", "-m", "definitions");
    return dir;
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private void generate(LocalDate start, LocalDate end, long seed) {
    new EventGenerator().generate(spark, start, end,
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).seed(seed).build());
  }

  private BackfillRun backfill(String start, String end, boolean publish) {
    return backfills.start(BackfillRequest.of(VIEW, start, end, publish, "test", "tester"), ProgressListener.NONE).run();
  }

  private Table table() {
    return new FeatureTables(spark).load(VIEW);
  }

  private Connection jdbc() throws Exception {
    return HiveJdbc.connect(gateway.jdbcUrl());
  }

  /** Row count and an order-independent checksum of a day range read through {@code from}. */
  private static String fingerprint(Connection c, String from, String start, String end) throws Exception {
    Map<String, Object> r = query(c, "SELECT count(*) AS n, CAST(sum(CAST(xxhash64(*) AS DECIMAL(38,0))) AS STRING) AS h FROM "
        + from + " WHERE event_date >= DATE '" + start + "' AND event_date < DATE '" + end + "'").get(0);
    return r.get("n") + "/" + r.get("h");
  }

  @Test
  @Order(1)
  void eachRunTagReturnsThatRunsDataAndATimeBetweenPublishesTheFirsts() throws Exception {
    long published1 = run1.publishedSnapshotId();
    try (Connection c = jdbc()) {
      String atRun1 = fingerprint(c, TABLE + " VERSION AS OF 'run_" + run1.runId() + "'", "2023-01-02", "2023-01-07");
      String atRun2 = fingerprint(c, TABLE + " VERSION AS OF 'run_" + run2.runId() + "'", "2023-01-02", "2023-01-07");
      assertThat(atRun1).startsWith(run1.rowCount() + "/");
      assertThat(fingerprint(c, TABLE + " VERSION AS OF 'run_" + run2.runId() + "'", "2023-01-04", "2023-01-07"))
          .startsWith(run2.rowCount() + "/");
      // The overlap day differs between the two runs, and each tag shows its own.
      assertThat(fingerprint(c, TABLE + " VERSION AS OF 'run_" + run1.runId() + "'", "2023-01-04", "2023-01-05"))
          .isNotEqualTo(fingerprint(c, TABLE + " VERSION AS OF 'run_" + run2.runId() + "'", "2023-01-04", "2023-01-05"));
      assertThat(atRun2).isEqualTo(fingerprint(c, TABLE, "2023-01-02", "2023-01-07"));

      // Every form Spark 3.5 parses, all at run 1's publish.
      execute(c, "ALTER TABLE " + TABLE + " CREATE BRANCH analysis AS OF VERSION " + published1);
      try {
        for (String from : List.of(
            TABLE + " VERSION AS OF " + published1,
            TABLE + " VERSION AS OF 'run_" + run1.runId() + "'",
            TABLE + " FOR SYSTEM_VERSION AS OF " + published1,
            TABLE + " FOR SYSTEM_VERSION AS OF 'run_" + run1.runId() + "'",
            TABLE + " TIMESTAMP AS OF '" + betweenPublishes + "'",
            TABLE + " FOR SYSTEM_TIME AS OF '" + betweenPublishes + "'",
            TABLE + " FOR SYSTEM_TIME AS OF TIMESTAMP '" + betweenPublishes + "'",
            // The product brief's form: a time string behind SYSTEM_VERSION is read as a time.
            TABLE + " FOR SYSTEM_VERSION AS OF '" + betweenPublishes + "'",
            TABLE + " VERSION AS OF '" + betweenPublishes + "'",
            TABLE + ".tag_run_" + run1.runId(),
            TABLE + " VERSION AS OF 'analysis'",
            TABLE + ".branch_analysis")) {
          assertThat(fingerprint(c, from, "2023-01-02", "2023-01-07")).as(from).isEqualTo(atRun1);
        }
      } finally {
        execute(c, "ALTER TABLE " + TABLE + " DROP BRANCH analysis");
      }

      // As-of reads for a set of entities, one statement each.
      List<Map<String, Object>> asOfRun = query(c, "SELECT user_id, event_date, purchase_count_7d FROM " + TABLE
          + " VERSION AS OF 'run_" + run1.runId() + "' WHERE user_id IN (1, 2, 3) AND event_date = DATE '2023-01-04' ORDER BY user_id");
      List<Map<String, Object>> asOfTime = query(c, "SELECT user_id, event_date, purchase_count_7d FROM " + TABLE
          + " FOR SYSTEM_TIME AS OF '" + betweenPublishes + "' WHERE user_id IN (1, 2, 3) AND event_date = DATE '2023-01-04' ORDER BY user_id");
      assertThat(asOfRun).isNotEmpty().isEqualTo(asOfTime);
      assertThat(asOfRun).extracting(r -> r.get("user_id")).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  @Order(2)
  void lineageOfAPartitionNamesItsRunAndMatchesTheSnapshotSummary() throws Exception {
    Table table = table();
    Snapshot data1 = table.snapshot(table.snapshot(run1.publishedSnapshotId()).parentId());
    Map<String, String> summary = data1.summary();
    assertThat(run1.gitCommit()).matches("[0-9a-f]{40}");
    try (Connection c = jdbc()) {
      List<Map<String, Object>> rows = query(c, "CALL lake.platform.lineage_partition(table => 'features.user_activity_daily', "
          + "partition => '2023-01-02')");
      assertThat(rows).hasSize(1);
      Map<String, Object> latest = rows.get(0);
      assertThat(latest).containsEntry("role", "latest writer").containsEntry("run_id", run1.runId())
          .containsEntry("snapshot_id", data1.snapshotId())
          .containsEntry("written_by", "RUN")
          .containsEntry("git_commit", summary.get("featurelake.git-commit"))
          .containsEntry("git_commit", run1.gitCommit())
          .containsEntry("git_dirty", false)
          .containsEntry("definition_sha256", summary.get("featurelake.definition-sha256"))
          .containsEntry("definition_sha256", run1.definitionSha256())
          .containsEntry("source_snapshots", "lake.raw.events=" + summary.get("featurelake.source.lake.raw.events.snapshot-id"))
          .containsEntry("started_by", "tester").containsEntry("origin", "test")
          .containsEntry("audit_report_id", run1.reportId())
          .containsEntry("window", "[2023-01-02,2023-01-05)");
      assertThat(summary.get("featurelake.source.lake.raw.events.snapshot-id"))
          .isEqualTo(String.valueOf(run1.sourceSnapshots().get("lake.raw.events")));

      // The overlap day: run 2 produced it (it replaced run 1's rows whole, so the walk stops there).
      assertThat(query(c, "CALL lake.platform.lineage_partition('features.user_activity_daily', '2023-01-04')"))
          .singleElement().satisfies(r -> assertThat(r).containsEntry("run_id", run2.runId()).containsEntry("role", "latest writer"));

      // What did run 1 feed: two days still on main, one superseded by run 2.
      Map<String, String> fed = query(c, "CALL lake.platform.lineage_run(run_id => " + run1.runId() + ")").stream()
          .filter(r -> r.get("section").equals("fed")).collect(Collectors.toMap(r -> (String) r.get("key"), r -> (String) r.get("value")));
      assertThat(fed).containsEntry(TABLE + "/2023-01-02", "ON_MAIN: on main").containsEntry(TABLE + "/2023-01-03", "ON_MAIN: on main")
          .containsEntry(TABLE + "/2023-01-04", "SUPERSEDED: superseded by run " + run2.runId() + " (snapshot "
              + table.snapshot(run2.publishedSnapshotId()).parentId() + ")");

      // Everything about run 2, including its definition text as stored at run time.
      Map<String, String> lineage = query(c, "CALL lake.platform.lineage_run(" + run2.runId() + ")").stream()
          .collect(Collectors.toMap(r -> r.get("section") + "." + r.get("key"), r -> String.valueOf(r.get("value"))));
      String storedText = new FeatureViewRegistry(Platform.current().catalogDatabase())
          .version(VIEW, run2.definitionSha256()).orElseThrow().definitionText();
      assertThat(lineage).containsEntry("run.started_by", "tester").containsEntry("run.origin", "test")
          .containsEntry("definition.sha256", run2.definitionSha256())
          .containsEntry("definition.definition_text", storedText)
          .containsEntry("input.lake.raw.events", String.valueOf(run2.sourceSnapshots().get("lake.raw.events")))
          .containsEntry("output.published_snapshot_id", String.valueOf(run2.publishedSnapshotId()))
          .containsEntry("output.tag", "run_" + run2.runId())
          .containsEntry("audit.report_id", String.valueOf(run2.reportId()))
          .containsEntry("audit.verdict", "PASSED")
          .containsEntry("online_sync." + TABLE, "not synced yet");
      assertThat(lineage.get("run.published_at")).isNotEqualTo("null");

      // The table's runs, newest first, and a snapshot's lineage.
      List<Map<String, Object>> history = query(c, "CALL lake.platform.lineage_table(table => 'features.user_activity_daily')");
      assertThat(history).extracting(r -> r.get("run_id")).containsSubsequence(run2.runId(), run1.runId());
      assertThat(history.get(0)).containsEntry("tag", "run_" + run2.runId())
          .containsEntry("partitions", "2023-01-04, 2023-01-05, 2023-01-06");
      Map<String, String> snap = query(c, "CALL lake.platform.lineage_snapshot('features.user_activity_daily', "
          + run1.publishedSnapshotId() + ")").stream()
          .collect(Collectors.toMap(r -> r.get("section") + "." + r.get("key"), r -> String.valueOf(r.get("value")), (a, b) -> a));
      assertThat(snap).containsEntry("snapshot.refs", "tag run_" + run1.runId()).containsEntry("snapshot.on_main", "true")
          .containsEntry("summary.featurelake.audit-report-id", String.valueOf(run1.reportId()))
          .containsEntry("run.run_id", String.valueOf(run1.runId()));
    }
  }

  @Test
  @Order(3)
  void reproduceRunIsReproducedAfterLaterRunsAndCompaction() throws Exception {
    try (Connection c = jdbc()) {
      query(c, "CALL lake.system.rewrite_data_files(table => 'features.user_activity_daily', options => map('rewrite-all', 'true'))");
      assertThat(table().currentSnapshot().operation()).isEqualTo("replace");

      List<Map<String, Object>> rows = query(c, "CALL lake.platform.reproduce_run(run_id => " + run1.runId() + ")");
      assertThat(rows).extracting(r -> r.get("verdict")).containsOnly("REPRODUCED");
      assertThat(rows).extracting(r -> String.valueOf(r.get("partition")), r -> r.get("status"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("2023-01-02", "MATCHES"),
              org.assertj.core.groups.Tuple.tuple("2023-01-03", "MATCHES"),
              org.assertj.core.groups.Tuple.tuple("2023-01-04", "SUPERSEDED"));
      assertThat(rows.get(0).get("detail")).asString().startsWith("on main, rewritten by compaction (snapshot ");
      assertThat(rows).allSatisfy(r -> assertThat(r.get("recomputed_checksum")).isEqualTo(r.get("published_checksum")));
      assertThat(rows.get(0).get("scratch_branch")).isEqualTo("repro_" + run1.runId() + "_1");

      assertThat(query(c, "CALL lake.platform.reproduce_run(" + run2.runId() + ")")).hasSize(3)
          .allSatisfy(r -> assertThat(r).containsEntry("verdict", "REPRODUCED").containsEntry("status", "MATCHES"));
    }
    assertThat(table().refs().keySet()).noneMatch(ref -> ref.startsWith("repro_"));
  }

  @Test
  @Order(4)
  void anOutOfBandWriteToOnePartitionIsTheOnlyDifference() throws Exception {
    try (Connection c = jdbc()) {
      execute(c, "INSERT OVERWRITE " + TABLE + " SELECT user_id, event_date, event_count + 1, view_count, click_count, "
          + "add_to_cart_count, purchase_count, distinct_items, distinct_sessions, purchase_amount_sum, avg_purchase_amount, "
          + "purchase_amount_sum_7d, purchase_count_7d FROM " + TABLE + " WHERE event_date = DATE '2023-01-03'");
      long outside = table().currentSnapshot().snapshotId();

      List<Map<String, Object>> rows = query(c, "CALL lake.platform.reproduce_run(" + run1.runId() + ")");
      assertThat(rows).extracting(r -> r.get("verdict")).containsOnly("DIFFERS");
      assertThat(rows).filteredOn(r -> "DIFFERS".equals(r.get("status")))
          .extracting(r -> String.valueOf(r.get("partition"))).containsExactly("2023-01-03");
      Map<String, Object> changed = rows.stream().filter(r -> "DIFFERS".equals(r.get("status"))).findFirst().orElseThrow();
      assertThat(changed.get("main_rows")).isEqualTo(changed.get("recomputed_rows"));
      assertThat((String) changed.get("detail")).startsWith("main differs from the run's output: ")
          .endsWith("replaced by a write outside the platform (snapshot " + outside + ", overwrite)");
      assertThat(changed.get("recomputed_checksum")).isEqualTo(changed.get("published_checksum"));

      List<Map<String, Object>> lineage = query(c, "CALL lake.platform.lineage_partition('features.user_activity_daily', '2023-01-03')");
      assertThat(lineage.get(0)).containsEntry("role", "latest writer").containsEntry("written_by", "OUTSIDE")
          .containsEntry("snapshot_id", outside).containsEntry("run_id", null)
          .containsEntry("detail", "written outside the platform by snapshot " + outside + " (overwrite)");
    }
  }

  @Test
  @Order(5)
  void badInputGetsClearErrors() throws Exception {
    BackfillRun unpublished = backfill("2023-01-08", "2023-01-09", false);
    assertThat(unpublished.state()).isEqualTo(RunState.PASSED);
    var first = table().history().get(0);
    try (Connection c = jdbc()) {
      assertThatThrownBy(() -> query(c, "CALL lake.platform.reproduce_run(999999)")).hasMessage("[NOT_FOUND] Unknown run 999999");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.lineage_run(999999)")).hasMessage("[NOT_FOUND] Unknown run 999999");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.reproduce_run(" + unpublished.runId() + ")"))
          .hasMessage("[INVALID_STATE] Cannot reproduce run " + unpublished.runId() + ": it was never published (state PASSED); "
              + "only a published run has data to compare with");
      for (String form : List.of("VERSION AS OF", "FOR SYSTEM_VERSION AS OF")) {
        // A timestamp string is read as a time (the brief's form), so the message is FOR SYSTEM_TIME's.
        assertThatThrownBy(() -> query(c, "SELECT count(*) FROM " + TABLE + " " + form + " '2000-01-01 00:00:00'"))
            .hasMessage("[NOT_FOUND] " + TABLE + " has no snapshot at or before 2000-01-01 00:00:00.000 UTC (its first "
                + "snapshot, " + first.snapshotId() + ", is at " + TS.format(Instant.ofEpochMilli(first.timestampMillis()))
                + " UTC)");
        assertThatThrownBy(() -> query(c, "SELECT count(*) FROM " + TABLE + " " + form + " '2023-02-30 10:00:00'"))
            .hasMessage("[TIME_TRAVEL_FORM] '2023-02-30 10:00:00' looks like a timestamp but is not a valid one; VERSION AS OF "
                + "takes a snapshot id, a tag/branch name or a time like '2023-01-01 10:00:00'");
      }
      assertThatThrownBy(() -> query(c, "SELECT count(*) FROM " + TABLE + " FOR SYSTEM_TIME AS OF '2000-01-01 00:00:00'"))
          .hasMessage("[NOT_FOUND] " + TABLE + " has no snapshot at or before 2000-01-01 00:00:00.000 UTC (its first snapshot, "
              + first.snapshotId() + ", is at " + TS.format(Instant.ofEpochMilli(first.timestampMillis())) + " UTC)");
      assertThatThrownBy(() -> query(c, "SELECT count(*) FROM " + TABLE + " VERSION AS OF 'run_999999'"))
          .hasMessageStartingWith("[NOT_FOUND] " + TABLE + " has no tag or branch 'run_999999' (tags: run_" + run1.runId());
      assertThatThrownBy(() -> query(c, "CALL lake.platform.lineage_partition('features.user_activity_daily', '2023-02-30')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.lineage_partition: partition must be an ISO date (YYYY-MM-DD), got '2023-02-30'");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.lineage_partition('features.user_activity_daily', '1999-01-01')"))
          .hasMessage("[NOT_FOUND] " + TABLE + " has no data in partition 1999-01-01 on main (main's history, as far as it is "
              + "kept, never wrote that day)");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.lineage_table('user_activity_daily')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.lineage_table: table must be 'namespace.table', got 'user_activity_daily'");

      // An expired snapshot: time travel, lineage and reproduce all say so.
      execute(c, "CREATE NAMESPACE IF NOT EXISTS lake.demo");
      execute(c, "CREATE TABLE lake.demo.expiring (id BIGINT) USING iceberg");
      execute(c, "INSERT INTO lake.demo.expiring VALUES (1)");
      execute(c, "INSERT INTO lake.demo.expiring VALUES (2)");
      Table expiring = new FeatureTables(spark).iceberg().loadTable(org.apache.iceberg.catalog.TableIdentifier.of("demo", "expiring"));
      long gone = expiring.history().get(0).snapshotId();
      long kept = expiring.currentSnapshot().snapshotId();
      query(c, "CALL lake.system.expire_snapshots(table => 'demo.expiring', snapshot_ids => array(" + gone + "))");
      String expired = "[NOT_FOUND] lake.demo.expiring has no snapshot " + gone + ": it was expired by maintenance "
          + "(expire_snapshots) or never existed; the oldest snapshot kept is " + kept;
      assertThatThrownBy(() -> query(c, "SELECT * FROM lake.demo.expiring VERSION AS OF " + gone)).hasMessageStartingWith(expired);
      assertThatThrownBy(() -> query(c, "CALL lake.platform.lineage_snapshot('demo.expiring', " + gone + ")"))
          .hasMessageStartingWith(expired);
    }
  }
}
