package io.featurelake.gateway.backfill;

import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.lake.FeatureTables;
import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.gateway.testing.WebhookReceiver;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Write-Audit-Publish end to end on real Spark, Iceberg and the embedded catalog database,
 * through the service and through JDBC. Small demo data: 3,000 events a day.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillIT {

  private static final String VIEW = "user_activity_daily";
  private static final String ITEMS = "item_popularity_daily";
  private static final String DUPS = "dup_probe";

  private Path home;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService service;
  private WebhookReceiver webhook;
  private Map<String, String> env;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-backfill-it-");
    webhook = new WebhookReceiver();
    // The shipped views plus a probe whose SQL emits some (item, day) keys twice.
    Path features = Files.createDirectories(home.resolve("features"));
    Path shipped = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    for (String f : List.of(VIEW, ITEMS)) {
      Files.copy(shipped.resolve(f + ".yaml"), features.resolve(f + ".yaml"));
      Files.copy(shipped.resolve(f + ".sql"), features.resolve(f + ".sql"));
    }
    Files.writeString(features.resolve(DUPS + ".yaml"), String.join("\n", "name: " + DUPS, "owner: test@example.com",
        "description: item events per day, items 1 to 5 emitted twice", "entities: [item_id]", "event_timestamp: event_date",
        "sources: [lake.raw.events]", "lookback_days: 0", "checks:", "  min_row_count: 1", "  max_duplicate_keys: 1000", "  max_null_rate: 1.0",
        "  max_psi: 1000", "  max_row_count_change: 1000", ""));
    String perItemDay = "SELECT item_id, date(event_ts) AS event_date, count(*) AS events, avg(amount) AS avg_amount "
        + "FROM lake.raw.events WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00' "
        + "AND item_id IS NOT NULL";
    Files.writeString(features.resolve(DUPS + ".sql"), perItemDay + " GROUP BY 1, 2\nUNION ALL\n" + perItemDay
        + " AND item_id <= 5 GROUP BY 1, 2\n");
    int port = TestPorts.free();
    env = new java.util.HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_ALERTS_WEBHOOK_URL", webhook.url());
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    service = new BackfillService(spark, Platform.current());
    generate(LocalDate.of(2022, 12, 20), LocalDate.of(2023, 1, 10), "normal");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (webhook != null) {
      webhook.close();
    }
  }

  private void generate(LocalDate start, LocalDate end, String mode) {
    new EventGenerator().generate(spark, start, end,
        GeneratorOptions.builder().eventsPerDay(3000).users(1000).items(80).mode(mode).build());
  }

  private BackfillResult backfill(String view, String start, String end, boolean publish) {
    return service.start(BackfillRequest.of(view, start, end, publish, "test", "tester"), ProgressListener.NONE);
  }

  private Table table(String view) {
    return new FeatureTables(spark).load(view);
  }

  private long count(String sql) {
    return spark.sql(sql).collectAsList().get(0).getLong(0);
  }

  @Test
  void publishedRunIsOnMainWithLineageAndItsTag() throws Exception {
    BackfillResult result = backfill(VIEW, "2023-01-02", "2023-01-04", true);
    BackfillRun run = result.run();

    assertThat(run.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(result.report()).get().extracting(AuditReport::passed).isEqualTo(true);
    Table table = table(VIEW);
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(run.publishedSnapshotId());
    assertThat(table.refs()).containsKey("run_" + run.runId()).doesNotContainKey(run.branch());
    Map<String, String> summary = table.currentSnapshot().summary();
    assertThat(summary).containsEntry("featurelake.run-id", String.valueOf(run.runId()))
        .containsEntry("featurelake.feature-view", VIEW)
        .containsEntry("featurelake.window", "[2023-01-02,2023-01-04)")
        .containsEntry("featurelake.definition-sha256", run.definitionSha256())
        .containsEntry("featurelake.audit-report-id", String.valueOf(run.reportId()))
        .containsEntry("featurelake.source.lake.raw.events.snapshot-id",
            String.valueOf(run.sourceSnapshots().get("lake.raw.events")))
        .containsKeys("featurelake.git-commit", "featurelake.git-dirty");
    // The data commit itself carries the lineage too.
    assertThat(table.snapshot(run.writtenSnapshotId()).summary()).containsEntry("featurelake.run-id", String.valueOf(run.runId()));

    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      long onMain = (Long) query(c, "SELECT count(*) AS n FROM lake.features.user_activity_daily "
          + "WHERE event_date >= DATE '2023-01-02' AND event_date < DATE '2023-01-04'").get(0).get("n");
      assertThat(onMain).isEqualTo(run.rowCount()).isPositive();
      long atTag = (Long) query(c, "SELECT count(*) AS n FROM lake.features.user_activity_daily VERSION AS OF 'run_"
          + run.runId() + "' WHERE event_date >= DATE '2023-01-02' AND event_date < DATE '2023-01-04'").get(0).get("n");
      assertThat(atTag).isEqualTo(onMain);
      List<Map<String, Object>> snapshots = query(c, "SELECT summary['featurelake.run-id'] AS run_id, "
          + "summary['featurelake.definition-sha256'] AS sha FROM lake.features.user_activity_daily.snapshots "
          + "WHERE summary['featurelake.run-id'] = '" + run.runId() + "'");
      assertThat(snapshots).hasSize(2).allSatisfy(r -> assertThat(r.get("sha")).isEqualTo(run.definitionSha256()));
      assertThat(query(c, "CALL lake.platform.list_runs(feature_view => 'user_activity_daily')"))
          .anySatisfy(r -> assertThat(r).containsEntry("run_id", run.runId()).containsEntry("state", "PUBLISHED"));
      assertThat(query(c, "CALL lake.platform.run_events(" + run.runId() + ")")).extracting(r -> r.get("to_state"))
          .containsSubsequence("PENDING", "COMPUTING", "AUDITING", "PASSED", "PUBLISHED");
      assertThat(query(c, "CALL lake.platform.audit_report(run_id => " + run.runId() + ")"))
          .anySatisfy(r -> assertThat(r).containsEntry("check", "row_count").containsEntry("passed", true));
      assertThatThrownBy(() -> query(c, "CALL lake.platform.drop_run(run_id => " + run.runId() + ")"))
          .hasMessageContaining("[INVALID_STATE] Cannot drop run " + run.runId() + ": it is PUBLISHED (its rows are on main");
    }
  }

  @Test
  void rerunningAWindowReplacesItsRowsAndNeverDuplicates() {
    BackfillRun first = backfill(ITEMS, "2023-01-05", "2023-01-07", true).run();
    long rows = count("SELECT count(*) FROM lake.features.item_popularity_daily WHERE event_date >= DATE '2023-01-05' "
        + "AND event_date < DATE '2023-01-07'");
    BackfillResult second = backfill(ITEMS, "2023-01-05", "2023-01-07", true);

    assertThat(second.run().state()).isEqualTo(RunState.PUBLISHED);
    assertThat(second.report().orElseThrow().baselineKind()).isEqualTo("same_window");
    assertThat(count("SELECT count(*) FROM lake.features.item_popularity_daily WHERE event_date >= DATE '2023-01-05' "
        + "AND event_date < DATE '2023-01-07'")).isEqualTo(rows).isEqualTo(first.rowCount());
    assertThat(count("SELECT count(*) - count(DISTINCT item_id, event_date) FROM lake.features.item_popularity_daily")).isZero();
    // Time travel to each run's tag still gives that run's rows.
    assertThat(count("SELECT count(*) FROM lake.features.item_popularity_daily VERSION AS OF 'run_" + first.runId()
        + "' WHERE event_date >= DATE '2023-01-05' AND event_date < DATE '2023-01-07'")).isEqualTo(rows);
  }

  @Test
  void aShiftedDistributionFailsItsAuditAndNeverReachesMain() throws Exception {
    backfill(VIEW, "2023-01-08", "2023-01-09", true);
    long mainBefore = table(VIEW).currentSnapshot().snapshotId();
    int alertsBefore = webhook.bodies().size();
    generate(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 1, 9), "shifted");
    try {
      BackfillResult bad = backfill(VIEW, "2023-01-08", "2023-01-09", true);

      // The failed audit keeps the branch (featurelake.audit.failed-branch-retention-hours) for inspection or an override.
      assertThat(bad.run().state()).isEqualTo(RunState.FAILED);
      assertThat(bad.run().branchExpiresAt()).isAfter(java.time.OffsetDateTime.now().plusHours(71));
      AuditReport report = bad.report().orElseThrow();
      assertThat(report.passed()).isFalse();
      assertThat(report.failures()).anySatisfy(check -> {
        assertThat(check.name()).isEqualTo("psi");
        assertThat(check.observed()).isGreaterThan(check.threshold());
        assertThat(check.detail()).contains("PSI").contains("(by ");
      });
      Table table = table(VIEW);
      assertThat(table.currentSnapshot().snapshotId()).isEqualTo(mainBefore);
      assertThat(table.refs()).containsKey(bad.run().branch());
      assertThat(bad.run().message()).startsWith("audit failed: psi(");
      assertThat(webhook.bodies()).hasSize(alertsBefore + 1);
      assertThat(webhook.bodies().get(alertsBefore)).contains("\"kind\":\"AUDIT_FAILED\"")
          .contains("\"run_id\":" + bad.run().runId()).contains("\"check\":\"psi\"").contains("\"report_id\":" + report.reportId())
          .contains("\"feature_view\":\"" + VIEW + "\"").contains("\"owner\":\"ml-platform@example.com\"");

      // Nobody will publish it: drop_run removes the kept branch at once; main stays; a second drop is refused.
      long id = bad.run().runId();
      try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
        assertThatThrownBy(() -> query(c, "CALL lake.platform.drop_run(run_id => 999999)"))
            .hasMessageContaining("[NOT_FOUND] Unknown run 999999");
        Map<String, Object> dropped = query(c, "CALL lake.platform.drop_run(run_id => " + id + ")").get(0);
        assertThat(dropped).containsEntry("run_id", id).containsEntry("state", "DROPPED");
        assertThat((String) dropped.get("message")).startsWith("dropped by ");
        assertThatThrownBy(() -> query(c, "CALL lake.platform.drop_run(run_id => " + id + ")"))
            .hasMessageContaining("[INVALID_STATE] Cannot drop run " + id + ": it is already DROPPED (dropped by ");
      }
      assertThat(table(VIEW).refs()).doesNotContainKey(bad.run().branch());
      assertThat(table(VIEW).currentSnapshot().snapshotId()).isEqualTo(mainBefore);
    } finally {
      generate(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 1, 9), "normal");
    }
  }

  @Test
  void overlappingRunsOnePublishesTheOtherFailsClearly_disjointOnesRebase() {
    BackfillRun a = backfill(ITEMS, "2022-12-28", "2022-12-30", false).run();
    BackfillRun b = backfill(ITEMS, "2022-12-29", "2022-12-31", false).run();
    BackfillRun c = backfill(ITEMS, "2022-12-31", "2023-01-01", false).run();
    assertThat(List.of(a.state(), b.state(), c.state())).containsOnly(RunState.PASSED);

    assertThat(service.publish(a.runId(), ProgressListener.NONE).state()).isEqualTo(RunState.PUBLISHED);
    long mainAfterA = table(ITEMS).currentSnapshot().snapshotId();
    assertThatThrownBy(() -> service.publish(b.runId(), ProgressListener.NONE))
        .isInstanceOf(PlatformException.class)
        .hasMessageStartingWith("Cannot publish run " + b.runId() + ": main changed the same partitions since the run started")
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_STATE));
    assertThat(service.runs().find(b.runId()).orElseThrow().state()).isEqualTo(RunState.DROPPED);
    assertThat(table(ITEMS).currentSnapshot().snapshotId()).isEqualTo(mainAfterA);

    // Disjoint partitions: rebased onto the new main, re-audited, published.
    BackfillRun published = service.publish(c.runId(), ProgressListener.NONE);
    assertThat(published.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(service.runs().events(c.runId())).anySatisfy(e -> assertThat(e.message()).startsWith("rebased onto main@"));
    assertThat(table(ITEMS).snapshot(published.publishedSnapshotId()).summary())
        .containsEntry("featurelake.run-id", String.valueOf(c.runId()));
    assertThat(count("SELECT count(*) FROM lake.features.item_popularity_daily WHERE event_date >= DATE '2022-12-28' "
        + "AND event_date < DATE '2023-01-01'")).isEqualTo(a.rowCount() + c.rowCount());
    assertThat(count("SELECT count(*) - count(DISTINCT item_id, event_date) FROM lake.features.item_popularity_daily")).isZero();
  }

  @Test
  void theAuditObservedDuringTheWriteEqualsAReadBackOfTheBranch() {
    BackfillResult first = backfill(DUPS, "2023-01-03", "2023-01-05", false);
    BackfillRun run = first.run();
    assertThat(run.state()).isEqualTo(RunState.PASSED);
    AuditReport observed = first.report().orElseThrow();
    // audit_branch reads the branch snapshot back: run side and duplicates by scan, baseline by scan.
    AuditReport scanned = service.audit(run.runId(), ProgressListener.NONE);

    long expectedDuplicates = count("SELECT count(DISTINCT item_id, date(event_ts)) FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '2023-01-03 00:00:00' AND event_ts < TIMESTAMP '2023-01-05 00:00:00' AND item_id <= 5");
    assertThat(expectedDuplicates).isPositive();
    for (AuditReport report : List.of(observed, scanned)) {
      assertThat(report.checks()).filteredOn(c -> c.name().equals("duplicate_keys")).singleElement()
          .satisfies(c -> assertThat(c.observed()).isEqualTo((double) expectedDuplicates));
      assertThat(report.rowCount()).isEqualTo(run.rowCount());
    }
    Map<String, Double> a = runSide(observed);
    Map<String, Double> b = runSide(scanned);
    assertThat(a.remove("*/observed_during_write")).isEqualTo(1.0);
    assertThat(b.remove("*/observed_during_write")).isEqualTo(0.0);
    // Only an observed write keeps the bins its own rows give, for the next run whose baseline they are.
    assertThat(a.keySet()).contains("events/psi_bins_kind", "events/psi_bin_edge:00");
    a.keySet().removeIf(key -> key.contains("/psi_bin"));
    assertThat(a.keySet()).isEqualTo(b.keySet()).contains("*/row_count", "avg_amount/mean", "events/p50", "item_id/null_rate");
    a.forEach((key, value) -> {
      if (key.matches(".*/p\\d\\d")) {
        // Approximate percentiles of the same rows merged in another order: within the sketch's error.
        assertThat(value).as(key).isCloseTo(b.get(key), org.assertj.core.data.Percentage.withPercentage(5));
      } else if (value == null) {
        assertThat(b.get(key)).as(key).isNull();
      } else {
        assertThat(value).as(key).isCloseTo(b.get(key), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(value))));
      }
    });
  }

  private static Map<String, Double> runSide(AuditReport report) {
    Map<String, Double> out = new java.util.TreeMap<>();
    report.metrics().stream().filter(m -> m.side().equals("run")).forEach(m -> out.put(m.column() + "/" + m.metric(), m.value()));
    return out;
  }

  @Test
  void publishRefusesRunsInTheWrongState() {
    BackfillRun run = backfill(VIEW, "2023-01-04", "2023-01-05", true).run();
    assertThatThrownBy(() -> service.publish(run.runId(), ProgressListener.NONE))
        .hasMessage("Cannot publish run " + run.runId() + ": it is already PUBLISHED as snapshot " + run.publishedSnapshotId());
    assertThatThrownBy(() -> service.publish(999_999, ProgressListener.NONE)).hasMessage("Unknown run 999999");
    assertThatThrownBy(() -> service.audit(run.runId(), ProgressListener.NONE))
        .hasMessageStartingWith("Cannot audit run " + run.runId() + ": it is PUBLISHED");
  }

  @Test
  void auditBranchThenPublishThroughSql() throws Exception {
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      Map<String, Object> started = query(c, "CALL lake.platform.start_backfill(feature_view => 'item_popularity_daily', "
          + "start_date => '2023-01-01', end_date => '2023-01-02', publish => false)").get(0);
      assertThat(started).containsEntry("state", "PASSED");
      long runId = (Long) started.get("run_id");
      Map<String, Object> audit = query(c, "CALL lake.platform.audit_branch(" + runId + ")").get(0);
      assertThat(audit).containsEntry("verdict", "PASSED").containsEntry("failed_checks", 0);
      Map<String, Object> published = query(c, "CALL lake.platform.publish(run_id => " + runId + ")").get(0);
      assertThat(published).containsEntry("state", "PUBLISHED");
      assertThat(published.get("published_snapshot_id")).isNotNull();
    }
  }

  @Test
  void badInputIsRefusedAndWritesNothing() throws Exception {
    int runsBefore = service.runs().list(null, 10_000).size();
    assertRefused("user_activity_daily", "2023-01-05", "2023-01-02",
        "end_date must be after start_date, got start_date=2023-01-05, end_date=2023-01-02 (the window is [start_date, end_date), end exclusive)");
    assertRefused("user_activity_daily", "2023-13-01", "2023-01-02", "start_date must be an ISO date (YYYY-MM-DD), got '2023-13-01'");
    assertRefused("user_activity_daily", "2023-01-01", "01/02/2023", "end_date must be an ISO date (YYYY-MM-DD), got '01/02/2023'");
    assertRefused("user_activity_daily", "2000-01-01", "2023-01-01",
        "the window [2000-01-01, 2023-01-01) is 8401 days, longer than 10 years (3660 days); split it into several backfills");
    assertThatThrownBy(() -> backfill("no_such_view", "2023-01-01", "2023-01-02", true))
        .hasMessage("Unknown feature view 'no_such_view'; defined in " + Platform.current().config().featuresDir()
            + ": dup_probe, item_popularity_daily, user_activity_daily");
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      assertThatThrownBy(() -> query(c, "CALL lake.platform.start_backfill('user_activity_daily', '2023-01-02', '2023-01-01')"))
          .hasMessageStartingWith("[INVALID_PROCEDURE_ARGUMENT] end_date must be after start_date");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.start_backfill(feature_view => 'user_activity_daily', start_date => 2023-01-01, end_date => '2023-01-02')"))
          .hasMessageStartingWith("[SYNTAX_ERROR] CALL does not parse: extraneous input '-'")
          .hasMessageContaining("quote dates and names ('2023-01-01')");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.start_backfill(feature_view => 'user_activity_daily', start_date => 20230101, end_date => '2023-01-02')"))
          .hasMessageStartingWith("[INVALID_PROCEDURE_ARGUMENT] lake.platform.start_backfill: argument 'start_date' must be STRING, got INT 20230101");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.publish(run_id => 424242)"))
          .hasMessageStartingWith("[NOT_FOUND] Unknown run 424242");
    }
    assertThat(service.runs().list(null, 10_000)).hasSize(runsBefore);
  }

  @Test
  void aBrokenDefinitionIsNamedAndNothingIsWritten() throws Exception {
    Path broken = Files.createTempDirectory(home, "features-");
    Files.writeString(broken.resolve("broken_view.yaml"), String.join("\n",
        "name: broken_view", "owner: me", "entities: [user_id]", "event_timestamp: event_date",
        "sources: [lake.raw.events]", "lookback_days: -3"));
    Files.writeString(broken.resolve("broken_view.sql"),
        "SELECT user_id, date(event_ts) AS event_date FROM lake.raw.events WHERE event_ts >= '${start_date}' AND event_ts < '${end_date}'");
    FeatureViewCatalog catalog = new FeatureViewCatalog(broken, Platform.current().catalogDatabase());

    assertThatThrownBy(() -> catalog.load("broken_view"))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("broken_view.yaml").hasMessageContaining("lookback_days")
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_DEFINITION));
    assertThat(new FeatureTables(spark).exists("broken_view")).isFalse();
  }

  @Test
  void aKilledRunLeavesMainUntouchedAndAVisibleStateThatCleanupResolves() throws Exception {
    backfill(VIEW, "2022-12-27", "2022-12-28", true);
    long mainBefore = table(VIEW).currentSnapshot().snapshotId();
    Process child = ChildJvm.start(BackfillMain.class, env, home,
        "--start_date", "2022-12-22", "--end_date", "2023-01-09", "--feature_view", VIEW);
    BackfillRun victim = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (victim == null && System.nanoTime() < deadline && child.isAlive()) {
      victim = service.runs().list(VIEW, 1).stream()
          .filter(r -> r.state() == RunState.COMPUTING && r.ownerPid() == child.pid()).findFirst().orElse(null);
      Thread.sleep(20);
    }
    assertThat(victim).as("the child's run reached COMPUTING").isNotNull();
    long victimId = victim.runId();
    child.destroyForcibly(); // kill -9
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    BackfillRun stuck = service.runs().find(victim.runId()).orElseThrow();
    assertThat(stuck.state()).isEqualTo(RunState.COMPUTING);
    assertThat(table(VIEW).currentSnapshot().snapshotId()).isEqualTo(mainBefore);

    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      List<Map<String, Object>> cleaned = query(c, "CALL lake.platform.cleanup_runs(feature_view => 'user_activity_daily')");
      assertThat(cleaned).anySatisfy(r -> assertThat(r).containsEntry("run_id", victimId).containsEntry("state", "DROPPED"));
    }
    BackfillRun resolved = service.runs().find(victim.runId()).orElseThrow();
    assertThat(resolved.message()).contains("owner process " + child.pid()).contains("is gone");
    assertThat(table(VIEW).refs()).doesNotContainKey(victim.branch());
    assertThat(table(VIEW).currentSnapshot().snapshotId()).isEqualTo(mainBefore);
  }

  private void assertRefused(String view, String start, String end, String message) {
    assertThatThrownBy(() -> backfill(view, start, end, true))
        .isInstanceOf(PlatformException.class).hasMessage(message);
  }


}
