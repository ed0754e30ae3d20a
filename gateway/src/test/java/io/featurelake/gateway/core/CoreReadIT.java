package io.featurelake.gateway.core;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.lineage.PartitionEvent;
import io.featurelake.sqlcatalog.online.OnlineStatus;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.tables.PartitionStats;
import io.featurelake.sqlcatalog.tables.RefInfo;
import io.featurelake.sqlcatalog.tables.SchemaVersion;
import io.featurelake.sqlcatalog.tables.SnapshotInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Spark-free core reads what Spark wrote: a gateway publishes two runs of
 * user_activity_daily and syncs the first to a private Redis; then {@link PlatformCore#open}
 * (its own catalog-database connection and Iceberg's JDBC catalog, no SparkSession anywhere on
 * its path) reads snapshot history, refs, schemas, partitions, the lineage of one partition, a
 * run's audit report and the sync lag, and each answer is compared with what the gateway's
 * procedures and Iceberg's metadata tables return over JDBC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreReadIT {

  private static final String VIEW = "user_activity_daily";
  private static final String TABLE = LakeNames.featureTable(VIEW);
  private static final TableName NAME = LakeNames.featureTableName(VIEW);

  private RedisProcess redis;
  private GatewayServer gateway;
  private PlatformCore core;
  private long run1;
  private long run2;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-core-it-");
    redis = RedisProcess.start(home);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    // The shipped definition, with drift checks relaxed: the second window's generated data may
    // drift from the first's, and this test is about reading, not auditing.
    Path features = home.resolve("features");
    TestFeatures.copyRelaxed(features, VIEW);
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
    FeaturelakeConfig config = TestConfigs.load(home, port, env);
    gateway = GatewayServer.start(config);
    new EventGenerator().generate(gateway.spark(), LocalDate.of(2022, 12, 25), LocalDate.of(2023, 1, 8),
        GeneratorOptions.builder().eventsPerDay(1500).users(200).items(60).seed(11).build());
    try (Connection c = jdbc()) {
      run1 = (Long) query(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => '2023-01-01', "
          + "end_date => '2023-01-04')").get(0).get("run_id");
      query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "')");
      run2 = (Long) query(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => '2023-01-04', "
          + "end_date => '2023-01-06')").get(0).get("run_id");
    }
    // A JVM of its own would do the same: nothing below needs the gateway's session.
    core = PlatformCore.open(config);
    assertThat(core.runs().get(run1).state()).isEqualTo(RunState.PUBLISHED);
    assertThat(core.runs().get(run2).state()).isEqualTo(RunState.PUBLISHED);
  }

  @AfterAll
  void stop() throws Exception {
    if (core != null) {
      core.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private Connection jdbc() throws Exception {
    return HiveJdbc.connect(gateway.jdbcUrl());
  }

  @Test
  void snapshotHistoryAndRefsMatchIcebergsMetadataTables() throws Exception {
    Page<SnapshotInfo> snapshots = core.tableHistory().snapshots(NAME, PageRequest.first(1000));
    Page<SnapshotInfo> firstTwo = core.tableHistory().snapshots(NAME, PageRequest.of(0, 2));
    try (Connection c = jdbc()) {
      Map<Long, String> viaSpark = new TreeMap<>();
      for (Map<String, Object> r : query(c, "SELECT snapshot_id, operation FROM " + TABLE + ".snapshots")) {
        viaSpark.put((Long) r.get("snapshot_id"), (String) r.get("operation"));
      }
      Map<Long, String> viaCore = new TreeMap<>();
      snapshots.items().forEach(s -> viaCore.put(s.snapshotId(), s.operation()));
      assertThat(viaCore).isEqualTo(viaSpark);
      assertThat(snapshots.total()).isEqualTo(viaSpark.size());
      assertThat(firstTwo.items()).containsExactlyElementsOf(snapshots.items().subList(0, 2));
      assertThat(firstTwo.hasMore()).isTrue();

      Map<String, String> refsViaSpark = new TreeMap<>();
      for (Map<String, Object> r : query(c, "SELECT name, type, snapshot_id FROM " + TABLE + ".refs")) {
        refsViaSpark.put((String) r.get("name"), r.get("type") + "@" + r.get("snapshot_id"));
      }
      List<RefInfo> refs = core.tableHistory().refs(NAME);
      Map<String, String> refsViaCore = new TreeMap<>();
      refs.forEach(r -> refsViaCore.put(r.name(), r.type() + "@" + r.snapshotId()));
      assertThat(refsViaCore).isEqualTo(refsViaSpark);
      assertThat(refsViaSpark).containsKeys("main", LakeNames.runTag(run1), LakeNames.runTag(run2));

      // The published snapshot carries the run's lineage in its summary, read without Spark.
      long published = core.runs().get(run2).publishedSnapshotId();
      SnapshotInfo head = core.tableHistory().snapshot(NAME, published);
      assertThat(head.onMain()).isTrue();
      assertThat(head.refs()).contains("main", "run_" + run2);
      assertThat(head.summary()).containsEntry("featurelake.run-id", String.valueOf(run2));
      assertThat(head.madeCurrentAt()).isNotNull();

      Map<String, String> described = new TreeMap<>();
      for (Map<String, Object> r : query(c, "CALL lake.platform.describe_table(table => 'features." + VIEW + "')")) {
        described.put((String) r.get("property"), (String) r.get("value"));
      }
      assertThat(described).containsEntry("current_snapshot_id", String.valueOf(published))
          .containsEntry("snapshots", String.valueOf(viaSpark.size()));
    }
  }

  @Test
  void schemaHistoryAndPartitionsMatchWhatSparkReads() throws Exception {
    List<SchemaVersion> schemas = core.tableHistory().schemas(NAME);
    SchemaVersion current = schemas.stream().filter(SchemaVersion::current).findFirst().orElseThrow();
    List<PartitionStats> partitions = core.tableHistory().partitions(NAME, null);
    try (Connection c = jdbc()) {
      List<String> columns = query(c, "DESCRIBE " + TABLE).stream().map(r -> (String) r.get("col_name"))
          .takeWhile(n -> n != null && !n.isBlank() && !n.startsWith("#")).toList();
      assertThat(current.columns().stream().map(SchemaVersion.Column::name).toList()).isEqualTo(columns);
      assertThat(current.firstSnapshotId()).isNotNull();

      Map<String, Long> rowsPerDay = new TreeMap<>();
      for (Map<String, Object> r : query(c, "SELECT CAST(event_date AS STRING) AS d, count(*) AS n FROM " + TABLE
          + " GROUP BY event_date")) {
        rowsPerDay.put((String) r.get("d"), (Long) r.get("n"));
      }
      Map<String, Long> rowsPerPartition = new TreeMap<>();
      partitions.forEach(p -> rowsPerPartition.merge(p.partition().substring(p.partition().indexOf('=') + 1), p.records(), Long::sum));
      assertThat(rowsPerPartition).isEqualTo(rowsPerDay);
      assertThat(rowsPerDay).containsKeys("2023-01-01", "2023-01-05");
      assertThat(partitions).allSatisfy(p -> assertThat(p.dataFiles()).isPositive());
    }
  }

  @Test
  void lineageOfOnePartitionIsWhatLineagePartitionReturns() throws Exception {
    List<PartitionEvent> events = core.lineage().partition("features." + VIEW, LocalDate.of(2023, 1, 2));
    assertThat(events).first().satisfies(e -> assertThat(e.runId()).isEqualTo(run1));
    try (Connection c = jdbc()) {
      List<Map<String, Object>> rows = query(c, "CALL lake.platform.lineage_partition(table => 'features." + VIEW
          + "', partition => '2023-01-02')");
      assertThat(rows.stream().map(r -> r.get("snapshot_id")).toList())
          .isEqualTo(events.stream().map(PartitionEvent::snapshotId).toList());
      assertThat(rows.get(0)).containsEntry("run_id", run1).containsEntry("role", "latest writer");
    }
  }

  @Test
  void theRunsAuditReportHasEveryMetricTheProcedureShows() throws Exception {
    AuditReport report = core.audits().latestOfRun(run1);
    assertThat(report.passed()).isTrue();
    try (Connection c = jdbc()) {
      List<Map<String, Object>> metrics = query(c, "CALL lake.platform.audit_report(run_id => " + run1 + ", metrics => true)");
      assertThat(metrics).hasSize(report.metrics().size()).isNotEmpty();
      Set<String> viaProcedure = metrics.stream().map(r -> r.get("check") + "|" + r.get("column") + "|" + r.get("observed"))
          .collect(Collectors.toSet());
      Set<String> viaCore = report.metrics().stream().map((AuditMetric m) -> m.side() + "." + m.metric() + "|" + m.column()
          + "|" + m.value()).collect(Collectors.toSet());
      assertThat(viaCore).isEqualTo(viaProcedure);
      List<Map<String, Object>> checks = query(c, "CALL lake.platform.audit_report(run_id => " + run1 + ")");
      assertThat(checks).hasSize(report.checks().size());
      assertThat(checks.get(0)).containsEntry("report_id", report.reportId());
    }
  }

  @Test
  void syncLagIsWhatOnlineStatusReturns() throws Exception {
    OnlineStatus status = core.syncs().status(VIEW).get(0);
    assertThat(status.lagSnapshots()).isPositive();
    assertThat(status.mainSnapshotId()).isEqualTo(core.runs().get(run2).publishedSnapshotId());
    try (Connection c = jdbc()) {
      Map<String, Object> row = query(c, "CALL lake.platform.online_status(feature_view => '" + VIEW + "')").get(0);
      assertThat(row).containsEntry("cursor_snapshot_id", status.cursorSnapshotId())
          .containsEntry("main_snapshot_id", status.mainSnapshotId())
          .containsEntry("lag_snapshots", status.lagSnapshots())
          .containsEntry("lag_seconds", status.lagSeconds())
          .containsEntry("last_sync_id", status.lastSyncId());
    }
    assertThat(core.syncs().syncs(VIEW, PageRequest.first(10)).total()).isEqualTo(1);
  }

  @Test
  void pagedListsCountTheWholeListAndRefuseBadPages() {
    Page<BackfillRun> newest = core.runs().list(VIEW, null, PageRequest.of(0, 1));
    assertThat(newest.total()).isEqualTo(2);
    assertThat(newest.items()).extracting(BackfillRun::runId).containsExactly(run2);
    assertThat(core.runs().list(VIEW, RunState.PUBLISHED, PageRequest.of(1, 5)).items()).extracting(BackfillRun::runId)
        .containsExactly(run1);
    assertThat(core.runs().events(run1, PageRequest.first(100)).items()).isNotEmpty();
    assertThat(core.featureViews().list(PageRequest.first(10)).total()).isEqualTo(1);

    assertThatThrownBy(() -> PageRequest.of(-1, 10)).isInstanceOf(PlatformException.class)
        .hasMessage("offset must be 0 or more, got -1");
    assertThatThrownBy(() -> PageRequest.of("lake.platform.list_runs", 0, 10_001))
        .hasMessage("lake.platform.list_runs: limit must be between 1 and 10000, got 10001");
    assertThatThrownBy(() -> core.runs().get(999_999)).hasMessage("Unknown run 999999");
    assertThatThrownBy(() -> core.tableHistory().refs(new TableName("features", "missing")))
        .hasMessage("Table lake.features.missing does not exist");
  }
}
