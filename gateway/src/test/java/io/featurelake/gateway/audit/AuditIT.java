package io.featurelake.gateway.audit;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit gate on demo data that looks real: exact PSI against a baseline of the run's length
 * that reaches back over dropped months, SKIPPED drift checks on a first publish, a failed run's
 * kept branch and its override publish, and row-level expectations. Each test has its own copy of
 * {@code item_popularity_daily} and its own days, so the tests run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIT {

  private static final String OWNER = "ml-platform@example.com";

  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService service;
  private Path features;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-audit-it-");
    features = Files.createDirectories(home.resolve("features"));
    copyItemsView("items_first", "");
    copyItemsView("items_monthly", "");
    copyItemsView("items_override", "");
    copyItemsView("items_rerun", "");
    copyItemsView("items_carry", "");
    copyItemsView("expect_probe", String.join("\n",
        "  expectations:",
        "    - name: non_negative",
        "      sql: revenue >= 0 AND conversion_rate >= 0",
        "    - name: typical_basket",
        "      sql: revenue <= 60 * purchase_count",
        "      max_failure_share: 0.2",
        ""));
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_AUDIT_FAILED_BRANCH_RETENTION_HOURS", "1");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    service = new BackfillService(spark, Platform.current());
    generate("2023-01-01", "2023-11-03", "normal");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  /** The shipped item view under another name; drift thresholds loosened for the expectation probe. */
  private void copyItemsView(String name, String extraChecks) throws Exception {
    Path shipped = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    String yaml = Files.readString(shipped.resolve("item_popularity_daily.yaml")).replace("name: item_popularity_daily",
        "name: " + name);
    if (!extraChecks.isEmpty()) {
      yaml = yaml.replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100")
          + extraChecks;
    }
    Files.writeString(features.resolve(name + ".yaml"), yaml);
    Files.copy(shipped.resolve("item_popularity_daily.sql"), features.resolve(name + ".sql"));
  }

  private void generate(String start, String end, String mode) {
    new EventGenerator().generate(spark, LocalDate.parse(start), LocalDate.parse(end),
        GeneratorOptions.builder().eventsPerDay(1500).users(800).items(60).mode(mode).build());
  }

  private BackfillResult backfill(String view, String start, String end) {
    return service.start(BackfillRequest.of(view, start, end, true, "test", "tester"), ProgressListener.NONE);
  }

  /** The non-NULL values a query returns. */
  private double[] values(String sql) {
    return spark.sql(sql).collectAsList().stream().filter(r -> !r.isNullAt(0)).mapToDouble(r -> r.getDouble(0)).toArray();
  }

  /**
   * The bins the audit's baseline pass gives, computed here from the values: histogram_numeric's
   * points are the exact values and counts while there are at most 65 of them; approx_percentile
   * with accuracy 10000 is exact on fewer than 10000 rows (the smallest value with at least that
   * share of values at or below it).
   */
  private static PsiBins binsOf(double[] baseline) {
    java.util.TreeMap<Double, Double> perValue = new java.util.TreeMap<>();
    for (double v : baseline) {
      perValue.merge(v, 1.0, Double::sum);
    }
    double[] sorted = baseline.clone();
    java.util.Arrays.sort(sorted);
    double[] deciles = java.util.Arrays.stream(PsiBins.DECILES)
        .map(q -> sorted[(int) Math.ceil(q * sorted.length) - 1]).toArray();
    if (perValue.size() > PsiBins.MAX_DISTINCT_VALUES + 1) {
      return PsiBins.fromBaseline(null, null, deciles);
    }
    return PsiBins.fromBaseline(perValue.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
        perValue.values().stream().mapToDouble(Double::doubleValue).toArray(), deciles);
  }

  private static List<AuditCheck> checks(AuditReport report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).toList();
  }

  @Test
  void theFirstWindowListsItsDriftChecksAsSkippedAndSaysSoInItsVerdict() {
    BackfillResult first = backfill("items_first", "2023-11-01", "2023-11-03");
    AuditReport report = first.report().orElseThrow();

    assertThat(first.run().state()).isEqualTo(RunState.PUBLISHED);
    assertThat(report.baselineKind()).isEqualTo("none");
    String reason = "SKIPPED: no published data on main (first publish): nothing to compare with";
    assertThat(checks(report, "psi")).extracting(AuditCheck::column)
        .containsExactly("view_count", "purchase_count", "distinct_users", "revenue", "conversion_rate");
    assertThat(checks(report, "psi")).allSatisfy(c -> {
      assertThat(c.skipped()).isTrue();
      assertThat(c.detail()).isEqualTo(reason);
    });
    assertThat(checks(report, "row_count_change")).singleElement().satisfies(c -> assertThat(c.detail()).isEqualTo(reason));
    assertThat(report.verdictLine()).isEqualTo("PASSED: " + (report.checks().size() - 6) + " passed, 0 failed, 6 SKIPPED "
        + "(drift checks SKIPPED: no published data on main (first publish): nothing to compare with)");
  }

  @Test
  void monthByMonthTheBaselineReachesBackOverDroppedMonthsAndAShiftAfterAGapStillFails() {
    assertThat(backfill("items_monthly", "2023-01-01", "2023-02-01").run().state()).isEqualTo(RunState.PUBLISHED);
    BackfillResult feb = backfill("items_monthly", "2023-02-01", "2023-03-01");
    assertThat(feb.run().state()).isEqualTo(RunState.PUBLISHED);
    assertThat(feb.report().orElseThrow().baselineStart()).isEqualTo(LocalDate.parse("2023-01-04"));

    // March arrives broken and is dropped: main has no March at all.
    generate("2023-03-01", "2023-04-01", "shifted");
    BackfillResult march = backfill("items_monthly", "2023-03-01", "2023-04-01");
    assertThat(march.run().state()).isEqualTo(RunState.FAILED);

    // April is compared with the 30 published days before it, reaching back over the gap: it passes on real PSI.
    BackfillResult april = backfill("items_monthly", "2023-04-01", "2023-05-01");
    AuditReport aprilReport = april.report().orElseThrow();
    assertThat(april.run().state()).as(aprilReport.verdictLine()).isEqualTo(RunState.PUBLISHED);
    assertThat(aprilReport.baselineKind()).isEqualTo("preceding_days");
    assertThat(aprilReport.baselineStart()).isEqualTo(LocalDate.parse("2023-01-30"));
    assertThat(aprilReport.baselineEnd()).isEqualTo(LocalDate.parse("2023-03-01"));
    assertThat(checks(aprilReport, "psi")).hasSize(5).allSatisfy(c -> {
      assertThat(c.skipped()).as(c.detail()).isFalse();
      assertThat(c.observed()).as(c.detail()).isLessThan(0.1);
      assertThat(c.detail()).contains("vs preceding days baseline 2023-01-30..2023-02-28 (30 days, ");
    });

    // The reported PSI is exact: the same bins and counts, rebuilt here from the rows themselves.
    for (AuditCheck psi : checks(aprilReport, "psi")) {
      String column = psi.column();
      double[] baseValues = values("SELECT CAST(" + column + " AS DOUBLE) FROM lake.features.items_monthly VERSION AS OF "
          + aprilReport.baselineSnapshotId() + " WHERE event_date >= DATE '2023-01-30' AND event_date < DATE '2023-03-01'");
      double[] runValues = values("SELECT CAST(" + column + " AS DOUBLE) FROM lake.features.items_monthly VERSION AS OF 'run_"
          + april.run().runId() + "' WHERE event_date >= DATE '2023-04-01' AND event_date < DATE '2023-05-01'");
      PsiBins bins = binsOf(baseValues);
      double exact = PsiBins.psi(bins.count(runValues), bins.count(baseValues));
      assertThat(psi.observed()).as(column).isCloseTo(exact, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(psi.detail()).as(column).contains("over " + bins.describe() + " vs");
    }

    // May and June never arrive; July is shifted. Its baseline is April plus the last day of
    // February (31 days of published data), not "none": the shift fails instead of passing unchecked.
    generate("2023-07-01", "2023-08-01", "shifted");
    BackfillResult july = backfill("items_monthly", "2023-07-01", "2023-08-01");
    AuditReport julyReport = july.report().orElseThrow();
    assertThat(julyReport.baselineKind()).isEqualTo("preceding_days");
    assertThat(julyReport.baselineStart()).isEqualTo(LocalDate.parse("2023-02-28"));
    assertThat(julyReport.baselineEnd()).isEqualTo(LocalDate.parse("2023-05-01"));
    assertThat(july.run().state()).isEqualTo(RunState.FAILED);
    assertThat(julyReport.failures()).extracting(AuditCheck::name).contains("psi");
    assertThat(julyReport.verdictLine()).startsWith("FAILED: ").contains("(baseline: preceding days 2023-02-28..2023-04-30, ");
  }

  @Test
  void aRerunOfAPublishedWindowReadsItsBinsFromThatRunsReportAndItsPsiIsStillExact() {
    String view = "items_rerun";
    BackfillResult first = backfill(view, "2023-08-05", "2023-08-15");
    assertThat(first.run().state()).isEqualTo(RunState.PUBLISHED);
    // The same days again with busier items: main holds exactly the first run's rows there.
    new EventGenerator().generate(spark, LocalDate.parse("2023-08-05"), LocalDate.parse("2023-08-15"),
        GeneratorOptions.builder().eventsPerDay(1800).users(800).items(60).mode("normal").build());
    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    BackfillResult again = service.start(BackfillRequest.of(view, "2023-08-05", "2023-08-15", true, "test", "tester"),
        (id, line) -> progress.add(line));
    AuditReport report = again.report().orElseThrow();

    assertThat(report.baselineKind()).isEqualTo("same_window");
    assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("baseline: same window baseline 2023-08-05..2023-08-14")
        .contains("PSI bins of 5 column(s) stored in audit report " + first.report().orElseThrow().reportId() + " "));
    // The bins read from the report are the ones the baseline's rows give: PSI rebuilt here from the rows.
    assertThat(checks(report, "psi")).hasSize(5).allSatisfy(psi -> {
      String column = psi.column();
      double[] baseValues = values("SELECT CAST(" + column + " AS DOUBLE) FROM lake.features." + view + " VERSION AS OF 'run_"
          + first.run().runId() + "'");
      double[] runValues = values("SELECT CAST(" + column + " AS DOUBLE) FROM lake.features." + view + " VERSION AS OF "
          + report.snapshotId() + " WHERE event_date >= DATE '2023-08-05' AND event_date < DATE '2023-08-15'");
      PsiBins bins = binsOf(baseValues);
      assertThat(psi.skipped()).as(psi.detail()).isFalse();
      assertThat(psi.observed()).as(column).isGreaterThan(0.0)
          .isCloseTo(PsiBins.psi(bins.count(runValues), bins.count(baseValues)), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(psi.detail()).as(column).contains("over " + bins.describe() + " vs");
    });
  }

  @Test
  void aRunWhoseBaselineWasAuditedOnStableBinsCarriesThemAndTakesTheBaselineSideFromThatReport() {
    String view = "items_carry";
    String start = "2023-10-10";
    String end = "2023-10-20";
    String window = " WHERE event_date >= DATE '" + start + "' AND event_date < DATE '" + end + "'";
    BackfillResult first = backfill(view, start, end); // the first publish: no baseline
    // The same days twice more, each a new sample of the same distribution.
    new EventGenerator().generate(spark, LocalDate.parse(start), LocalDate.parse(end),
        GeneratorOptions.builder().eventsPerDay(1500).users(800).items(60).seed(7).mode("normal").build());
    BackfillResult second = backfill(view, start, end); // bins: the first run's own, stored in its report
    assertThat(second.run().state()).isEqualTo(RunState.PUBLISHED);
    new EventGenerator().generate(spark, LocalDate.parse(start), LocalDate.parse(end),
        GeneratorOptions.builder().eventsPerDay(1500).users(800).items(60).seed(8).mode("normal").build());
    List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    BackfillResult third = service.start(BackfillRequest.of(view, start, end, false, "test", "tester"),
        (id, line) -> progress.add(line));
    assertThat(third.run().state()).as("%s", third.run().message()).isEqualTo(RunState.PASSED);
    AuditReport report = third.report().orElseThrow();
    long secondReport = second.report().orElseThrow().reportId();
    assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("baseline: same window baseline")
        .contains("PSI bins of 5 column(s) carried from audit report " + secondReport + " ")
        .contains("no pass over its rows"));

    // The bins are the ones the second run's audit used (the first run's rows gave them), and the
    // PSI on them is exact: the third run's rows against the second's, counted here.
    List<AuditCheck> psis = checks(report, "psi");
    assertThat(psis).hasSize(5).allSatisfy(psi -> {
      String column = psi.column();
      String values = "SELECT CAST(" + column + " AS DOUBLE) FROM lake.features." + view + " VERSION AS OF ";
      PsiBins bins = binsOf(values(values + "'run_" + first.run().runId() + "'" + window));
      double[] baseValues = values(values + "'run_" + second.run().runId() + "'" + window);
      double[] runValues = values(values + report.snapshotId() + window);
      assertThat(psi.skipped()).as(psi.detail()).isFalse();
      assertThat(psi.observed()).as(column).isGreaterThan(0.0)
          .isCloseTo(PsiBins.psi(bins.count(runValues), bins.count(baseValues)), org.assertj.core.api.Assertions.within(1e-9));
    });

    // The baseline side taken from the report is what a scan of the baseline's rows gives (a
    // re-audit scans both sides, on the same bins).
    AuditReport scanned = service.audit(third.run().runId(), ProgressListener.NONE);
    Map<String, Double> carried = side(report, "baseline");
    Map<String, Double> read = side(scanned, "baseline");
    assertThat(carried.keySet()).isEqualTo(read.keySet()).contains("*/row_count", "purchase_count/mean", "revenue/p50",
        "item_id/null_rate").anyMatch(key -> key.contains("/bin_share:"));
    carried.forEach((key, value) -> {
      if (key.matches(".*/p\\d\\d")) {
        // Approximate percentiles (the write's sketch, accuracy 1000): within a percent of rank of
        // the exact one of the baseline's rows (integer columns can land on a neighbouring value).
        String column = key.substring(0, key.indexOf('/'));
        double[] sorted = values("SELECT CAST(" + column + " AS DOUBLE) FROM lake.features." + view + " VERSION AS OF 'run_"
            + second.run().runId() + "'" + window);
        java.util.Arrays.sort(sorted);
        double q = Integer.parseInt(key.substring(key.length() - 2)) / 100.0;
        int lo = Math.max(0, (int) Math.floor((q - 0.01) * sorted.length) - 1);
        int hi = Math.min(sorted.length - 1, (int) Math.ceil((q + 0.01) * sorted.length));
        assertThat(value).as(key).isBetween(sorted[lo], sorted[hi]);
      } else if (value == null) {
        assertThat(read.get(key)).as(key).isNull();
      } else {
        assertThat(value).as(key).isCloseTo(read.get(key), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(value))));
      }
    });
    assertThat(scanned.passed()).isEqualTo(report.passed());
    assertThat(checks(scanned, "psi")).extracting(AuditCheck::observed)
        .containsExactlyElementsOf(psis.stream().map(AuditCheck::observed).toList());
  }

  @Test
  void theWriteSkipsNumberingRowsPerKeyOnlyWhenTheQueryPlanProvesOneRowPerKey() {
    var view = service.views().load("items_first"); // keys: item_id, event_date
    String events = " FROM lake.raw.events WHERE item_id IS NOT NULL";
    // The shipped view's query: GROUP BY item_id, date(event_ts), with a DISTINCT aggregate in it.
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, date(event_ts) AS event_date, "
        + "count(DISTINCT user_id) AS users, count(*) AS n" + events + " GROUP BY item_id, date(event_ts)"), view)).isTrue();
    // A rolling window over such a grouping, filtered to the run's days (the user view's shape).
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, event_date, sum(n) OVER (PARTITION BY item_id "
        + "ORDER BY unix_date(event_date) RANGE BETWEEN 6 PRECEDING AND CURRENT ROW) AS n_7d FROM (SELECT item_id, "
        + "date(event_ts) AS event_date, count(*) AS n" + events + " GROUP BY 1, 2) WHERE event_date >= DATE '2023-01-07'"),
        view)).isTrue();
    // Unique per item alone is unique per (item, day) too.
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, max(date(event_ts)) AS event_date" + events
        + " GROUP BY item_id"), view)).isTrue();
    // Raw rows, a grouping with a column that is not a key, and a union of two groupings: not proven.
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, date(event_ts) AS event_date" + events), view))
        .isFalse();
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, date(event_ts) AS event_date, count(*) AS n"
        + events + " GROUP BY item_id, date(event_ts), user_id"), view)).isFalse();
    assertThat(WriteObservation.uniqueByPlan(spark.sql("SELECT item_id, date(event_ts) AS event_date, count(*) AS n"
        + events + " GROUP BY 1, 2 UNION ALL SELECT item_id, date(event_ts), count(*)" + events + " GROUP BY 1, 2"), view))
        .isFalse();
  }

  private static Map<String, Double> side(AuditReport report, String side) {
    Map<String, Double> out = new java.util.TreeMap<>();
    report.metrics().stream().filter(m -> m.side().equals(side))
        .forEach(m -> out.put(m.column() + "/" + m.metric(), m.value()));
    return out;
  }

  @Test
  void aFailedRunsBranchIsKeptUntilItExpiresAndAnOverridePublishesItWithTheReasonOnRecord() throws Exception {
    String view = "items_override";
    String table = "lake.features." + view;
    BackfillRun published = backfill(view, "2023-09-01", "2023-09-03").run();
    assertThat(published.state()).isEqualTo(RunState.PUBLISHED);
    generate("2023-09-01", "2023-09-03", "shifted");
    BackfillRun failed = backfill(view, "2023-09-01", "2023-09-03").run();

    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(failed.branchExpiresAt()).isNotNull();
    String reason = "Promotion week: conversion really doubled (ticket OPS-42)";
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      // The rejected rows can be read by name while the branch is kept; main still has the published run.
      assertThat(query(c, "SELECT count(*) AS n FROM " + table + ".branch_audit_" + failed.runId()).get(0).get("n"))
          .isEqualTo(failed.rowCount());
      assertThatThrownBy(() -> query(c, "SELECT count(*) FROM " + table + " VERSION AS OF 'run_" + failed.runId() + "'"))
          .hasMessageStartingWith("[NOT_FOUND] " + table + " has no tag 'run_" + failed.runId() + "': run " + failed.runId()
              + " was never published, it is FAILED: audit failed: psi(");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.publish(run_id => " + failed.runId() + ")"))
          .hasMessageStartingWith("[INVALID_STATE] Cannot publish run " + failed.runId() + ": its state is FAILED");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.publish(run_id => " + failed.runId() + ", override_reason => ' ')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] override_reason must say why the failed audit is accepted, got ' '");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.publish(run_id => " + published.runId()
          + ", override_reason => 'x')")).hasMessage("[INVALID_STATE] Cannot publish run " + published.runId()
          + " with an override: its state is PUBLISHED; only a run that FAILED its audit and whose branch is kept can be");

      Map<String, Object> row = query(c, "CALL lake.platform.publish(run_id => " + failed.runId() + ", override_reason => '"
          + reason + "')").get(0);
      BackfillRun after = service.runs().find(failed.runId()).orElseThrow();
      assertThat(row.get("state")).isEqualTo("PUBLISHED");
      assertThat(after.overrideReason()).isEqualTo(reason);
      String decision = "by " + after.overrideBy() + ": " + reason;
      assertThat(row.get("audit_override")).isEqualTo(decision);

      Map<String, Object> head = query(c, "SELECT summary['featurelake.audit-override'] AS why, "
          + "summary['featurelake.run-id'] AS run FROM " + table + ".snapshots WHERE snapshot_id = "
          + after.publishedSnapshotId()).get(0);
      assertThat(head).containsEntry("why", decision).containsEntry("run", String.valueOf(failed.runId()));
      assertThat(query(c, "SELECT snapshot_id FROM " + table + ".refs WHERE name = 'main'").get(0).get("snapshot_id"))
          .isEqualTo(after.publishedSnapshotId());
      assertThat(query(c, "CALL lake.platform.audit_report(run_id => " + failed.runId() + ")"))
          .allSatisfy(r -> assertThat((String) r.get("report_summary")).startsWith("FAILED: ")
              .contains("; OVERRIDDEN by " + after.overrideBy() + ": " + reason));
      List<Map<String, Object>> alerts = query(c, "CALL lake.platform.alerts(feature_view => '" + view + "')");
      assertThat(alerts).extracting(a -> a.get("kind")).containsExactly("AUDIT_OVERRIDE", "AUDIT_FAILED");
      assertThat(alerts).allSatisfy(a -> assertThat(a.get("owner")).isEqualTo(OWNER));
      assertThat((String) alerts.get(0).get("message")).endsWith("override " + decision);
      assertThatThrownBy(() -> query(c, "CALL lake.platform.alerts(kind => 'nope')")).hasMessage("[INVALID_PROCEDURE_ARGUMENT] "
          + "lake.platform.alerts: kind must be one of [AUDIT_FAILED, AUDIT_OVERRIDE, MAINTENANCE_FAILED, PUBLISH_REFUSED, "
          + "SYNC_FAILED], got 'nope'");

      // Normal data again is drift against the accepted shift: this failed run's branch is kept,
      // maintenance leaves it alone until it expires, then drops it.
      generate("2023-09-01", "2023-09-03", "normal");
      BackfillRun second = backfill(view, "2023-09-01", "2023-09-03").run();
      assertThat(second.state()).isEqualTo(RunState.FAILED);
      query(c, "CALL lake.platform.run_maintenance(table => '" + view + "')");
      assertThat(service.runs().find(second.runId()).orElseThrow().state()).isEqualTo(RunState.FAILED);
      assertThat(query(c, "SELECT count(*) AS n FROM " + table + ".refs WHERE name = 'audit_" + second.runId() + "'")
          .get(0).get("n")).isEqualTo(1L);
      try (Connection db = Platform.current().catalogDatabase().getConnection();
           PreparedStatement ps = db.prepareStatement("UPDATE backfill_runs SET branch_expires_at = ? WHERE run_id = ?")) {
        ps.setObject(1, java.time.OffsetDateTime.now().minusMinutes(1));
        ps.setLong(2, second.runId());
        ps.executeUpdate();
      }
      query(c, "CALL lake.platform.run_maintenance(table => '" + view + "')");
      assertThat(service.runs().find(second.runId()).orElseThrow().state()).isEqualTo(RunState.DROPPED);
      assertThat(query(c, "SELECT count(*) AS n FROM " + table + ".refs WHERE name = 'audit_" + second.runId() + "'")
          .get(0).get("n")).isEqualTo(0L);
    }
  }

  @Test
  void rowLevelExpectationsAreObservedDuringTheWriteAndOneViolatedByTheShiftedModeFailsTheRun() {
    BackfillResult normal = backfill("expect_probe", "2023-10-01", "2023-10-03");
    assertThat(normal.run().state()).as(normal.report().orElseThrow().verdictLine()).isEqualTo(RunState.PUBLISHED);
    assertThat(normal.report().orElseThrow().metrics()).anySatisfy(m -> {
      assertThat(m.metric()).isEqualTo("observed_during_write");
      assertThat(m.value()).isEqualTo(1.0);
    });

    generate("2023-10-01", "2023-10-03", "shifted");
    BackfillResult shifted = backfill("expect_probe", "2023-10-01", "2023-10-03");
    AuditReport report = shifted.report().orElseThrow();
    long rows = report.rowCount();

    assertThat(shifted.run().state()).isEqualTo(RunState.FAILED);
    assertThat(report.failures()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("expectation");
      assertThat(c.column()).isEqualTo("typical_basket");
      assertThat(c.threshold()).isEqualTo(0.2);
      assertThat(c.observed()).isGreaterThan(0.2);
      long violations = Math.round(c.observed() * rows);
      assertThat(c.detail()).isEqualTo(String.format(java.util.Locale.ROOT, "%d of %d rows (%.2f%%) violate "
          + "revenue <= 60 * purchase_count; > 20.00%% allowed", violations, rows, c.observed() * 100));
    });
    assertThat(checks(report, "expectation")).filteredOn(c -> c.column().equals("non_negative")).singleElement()
        .satisfies(c -> {
          assertThat(c.passed()).isTrue();
          assertThat(c.observed()).isEqualTo(0.0);
        });
    // The violations were counted from the written rows, exactly.
    long expected = spark.sql("SELECT count_if(NOT (revenue <= 60 * purchase_count)) FROM lake.features.expect_probe.branch_audit_"
        + shifted.run().runId() + " WHERE event_date >= DATE '2023-10-01' AND event_date < DATE '2023-10-03'")
        .first().getLong(0);
    assertThat(Math.round(checks(report, "expectation").stream().filter(c -> c.column().equals("typical_basket"))
        .findFirst().orElseThrow().observed() * rows)).isEqualTo(expected);
  }

  @Test
  void aMalformedExpectationIsRefusedWhenTheViewIsLoaded() throws Exception {
    copyItemsView("broken_expect", "  expectations:\n    - name: half\n      sql: conversion_rate BETWEEN 0 AND\n");
    copyItemsView("unknown_column_expect", "  expectations:\n    - name: ghost\n      sql: no_such_column > 0\n");

    assertThatThrownBy(() -> service.views().load("broken_expect"))
        .isInstanceOf(PlatformException.class)
        .hasMessageStartingWith(features.resolve("broken_expect.yaml") + ": expectation 'half' is not a SQL expression: "
            + "conversion_rate BETWEEN 0 AND (");
    assertThatThrownBy(() -> backfill("unknown_column_expect", "2023-10-01", "2023-10-02"))
        .isInstanceOf(PlatformException.class)
        .hasMessageStartingWith(features.resolve("unknown_column_expect.yaml") + ": expectation 'ghost' (no_such_column > 0) "
            + "does not fit the SQL's output: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
            + "`no_such_column` cannot be resolved.");
    // Refused before anything was created: no run, no table.
    assertThat(service.runs().list("unknown_column_expect", 10)).isEmpty();
    assertThat(spark.catalog().tableExists("lake.features.unknown_column_expect")).isFalse();
  }
}
