package io.featurelake.gateway.maintenance;

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
import io.featurelake.gateway.online.SyncResult;
import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.online.VerifyResult;
import io.featurelake.gateway.online.VerifyService;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Maintenance on a table built by 10 one-day backfills (2,000 events a day), through the service
 * and through JDBC. The tests share that table and run in order: dry run, then the real thing.
 * Ten days are enough for what is asserted (every fragmented day compacted, every run tag and the
 * in-flight branch kept); each more day is one more full write-audit-publish in the fixture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceIT {

  private static final String VIEW = "item_popularity_daily";
  private static final String TABLE = "lake.features." + VIEW;
  private static final long TARGET = 64 * 1024;
  private static final LocalDate FIRST = LocalDate.of(2023, 1, 1);
  private static final int DAYS = 10;
  /** The day of the in-flight run: one the compaction rewrites. */
  private static final LocalDate IN_FLIGHT = FIRST.plusDays(DAYS / 2);

  private Path home;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService backfills;
  private MaintenanceService maintenance;
  private final List<BackfillRun> published = new ArrayList<>();
  private final String keyPrefix = "fltest" + Long.toHexString(System.nanoTime());

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-maintenance-it-");
    Path features = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    // The machine's Redis, under a key prefix of this test run only (removed in stop()).
    env.put("FEATURELAKE_ONLINE_KEY_PREFIX", keyPrefix);
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    backfills = new BackfillService(spark, Platform.current());
    maintenance = new MaintenanceService(spark, Platform.current(), SyncCursorSource.of(Platform.current().catalogDatabase()));
    new EventGenerator().generate(spark, FIRST, FIRST.plusDays(DAYS),
        GeneratorOptions.builder().eventsPerDay(2000).users(500).items(80).build());
    published.add(backfill(FIRST, true));
    // Fragment the table as many small writers would: every shuffle task writes its own file per
    // day (no clustering by partition, no coalescing of the 8 shuffle partitions).
    spark.sql("ALTER TABLE " + TABLE + " SET TBLPROPERTIES ('write.distribution-mode' = 'none')");
    spark.conf().set("spark.sql.adaptive.enabled", "false");
    try {
      for (int d = 1; d < DAYS; d++) {
        published.add(backfill(FIRST.plusDays(d), true));
      }
    } finally {
      spark.conf().unset("spark.sql.adaptive.enabled");
    }
    assertThat(published).extracting(BackfillRun::state).containsOnly(RunState.PUBLISHED);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", 6379)) {
      for (String key : jedis.keys(keyPrefix + ":*")) {
        jedis.del(key);
      }
    }
  }

  private BackfillRun backfill(LocalDate day, boolean publish) {
    return backfills.start(BackfillRequest.of(VIEW, day.toString(), day.plusDays(1).toString(), publish, "test", "tester"),
        ProgressListener.NONE).run();
  }

  private Table table() {
    return new FeatureTables(spark).load(VIEW);
  }

  private String metadataLocation() {
    return ((org.apache.iceberg.HasTableOperations) table()).operations().current().metadataFileLocation();
  }

  /** Row count and an order-independent hash of every row: equal before and after means equal data. */
  private String checksum(String versionClause) {
    Row r = spark.sql("SELECT count(*), sum(xxhash64(*)) FROM " + TABLE + versionClause).collectAsList().get(0);
    return r.getLong(0) + "/" + r.get(1);
  }

  private Map<String, String> runTagChecksums() {
    Map<String, String> out = new LinkedHashMap<>();
    for (BackfillRun run : published) {
      out.put(run.tag(), checksum(" VERSION AS OF '" + run.tag() + "'"));
    }
    return out;
  }

  /** Per partition: files and bytes of main. */
  private Map<String, long[]> partitions() throws Exception {
    Map<String, long[]> out = new HashMap<>();
    Table t = table();
    try (CloseableIterable<FileScanTask> tasks = t.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        long[] v = out.computeIfAbsent(t.spec().partitionToPath(task.file().partition()), k -> new long[2]);
        v[0]++;
        v[1] += task.file().fileSizeInBytes();
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void dryRunChangesNothingAndReportsWhatItWouldDo() throws Exception {
    String metadata = metadataLocation();
    Map<String, ?> refs = Map.copyOf(table().refs());
    long files = partitions().values().stream().mapToLong(v -> v[0]).sum();

    List<io.featurelake.sqlcatalog.maintenance.MaintenanceReport> reports = maintenance.run(
        new MaintenanceRequest(VIEW, 0, 1, TARGET, false, true, MaintenanceRequest.MIN_ORPHAN_AGE));

    assertThat(metadataLocation()).isEqualTo(metadata);
    assertThat(table().refs()).isEqualTo(refs);
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.dryRun()).isTrue();
      assertThat(r.tableName()).isEqualTo(TABLE);
      assertThat(r.dataFilesBefore()).isEqualTo(files).isGreaterThan(2L * DAYS);
      // The first day was written before the table was fragmented: one file, nothing to compact.
      assertThat(r.rewrittenFiles()).isEqualTo(files - 1);
      assertThat(r.dataFilesAfter()).isEqualTo(DAYS);
      assertThat(r.snapshotsExpired()).isPositive();
      assertThat(r.snapshotsAfter()).isEqualTo(r.snapshotsBefore() - r.snapshotsExpired());
      assertThat(r.message()).startsWith("dry run: nothing changed; would compact " + (DAYS - 1) + " partition(s): " + (files - 1)
          + " files -> about " + (DAYS - 1));
    });
  }

  @Test
  @Order(2)
  void maintenanceCompactsAndKeepsResultsRunTagsAndInFlightBranches() throws Exception {
    // An in-flight run (audited, not yet published) on a day the compaction rewrites.
    BackfillRun auditing = backfill(IN_FLIGHT, false);
    assertThat(auditing.state()).isEqualTo(RunState.PASSED);
    // A stale audit branch nobody owns, and an old stray file in the data directory.
    table().manageSnapshots().createBranch("audit_999999", table().currentSnapshot().snapshotId()).commit();
    String location = table().location();
    Path stray = (location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location))
        .resolve("data/stray-00000.parquet");
    Files.createDirectories(stray.getParent());
    Files.write(stray, new byte[1234]);
    Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));

    // The online store has everything published so far; its cursor must survive the expiry.
    SyncService sync = new SyncService(spark, Platform.current());
    SyncResult first = sync.sync(VIEW, false, "test", line -> { });
    assertThat(first.mode()).isEqualTo("FULL");

    String before = checksum("");
    Map<String, String> tagsBefore = runTagChecksums();
    long auditHead = table().refs().get(auditing.branch()).snapshotId();

    Map<String, Object> report;
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      report = query(c, "CALL lake.platform.run_maintenance(table => '" + VIEW + "', older_than_days => 0, "
          + "target_file_size => '64KB')").get(0);
    }

    Map<String, long[]> after = partitions();
    long expected = after.values().stream().mapToLong(v -> Math.max(1, (v[1] + TARGET - 1) / TARGET)).sum();
    long files = after.values().stream().mapToLong(v -> v[0]).sum();
    assertThat((double) files).isBetween(expected * 0.5 - 1, expected * 1.5 + 1);
    assertThat(report).containsEntry("table_name", TABLE).containsEntry("dry_run", false)
        .containsEntry("data_files_after", files).containsEntry("branches_removed", "audit_999999")
        .containsEntry("orphans_removed", 1L).containsEntry("orphan_bytes", 1234L);
    assertThat((Long) report.get("data_files_before")).isGreaterThan(2L * DAYS);
    assertThat((Long) report.get("snapshots_expired")).isPositive();
    assertThat((Long) report.get("manifests_after")).isLessThan((Long) report.get("manifests_before"));
    assertThat(Files.exists(stray)).isFalse();

    // Same data, and every run tag still time-travels to the same rows (tags keep their snapshots).
    assertThat(checksum("")).isEqualTo(before);
    assertThat(runTagChecksums()).isEqualTo(tagsBefore);
    assertThat(table().refs()).doesNotContainKey("audit_999999");
    assertThat(table().refs().get(auditing.branch()).snapshotId()).isEqualTo(auditHead);

    // The compaction commit on main does not break the in-flight run's publish (rebase over a
    // rewrite that changed no data).
    BackfillRun publishedLater = backfills.publish(auditing.runId(), ProgressListener.NONE);
    assertThat(publishedLater.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(checksum("")).isEqualTo(before);
    published.add(publishedLater);
    // The next sync is still incremental from the protected cursor, reads about one day (the
    // later publish), and Redis equals main.
    assertThat(table().refs().get(MaintenanceService.SYNC_CURSOR_TAG).snapshotId()).isEqualTo(first.toSnapshotId());
    SyncResult next = sync.sync(VIEW, false, "test", line -> { });
    assertThat(next.mode()).isEqualTo("INCREMENTAL");
    assertThat(next.fromSnapshotId()).isEqualTo(first.toSnapshotId());
    long oneDay = spark.sql("SELECT count(*) FROM " + TABLE + " WHERE event_date = DATE '" + IN_FLIGHT + "'")
        .first().getLong(0);
    assertThat(next.rowsRead()).isLessThanOrEqualTo(2 * oneDay + 2);
    VerifyResult verified = new VerifyService(spark, sync).verify(VIEW, null);
    assertThat(verified.missing() + verified.stale() + verified.extra()).isZero();
    assertThat(verified.matching()).isEqualTo(verified.checked()).isPositive();
  }

  @Test
  @Order(3)
  void reportsAreReadableFromSql() throws Exception {
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      List<Map<String, Object>> rows = query(c, "CALL lake.platform.maintenance_reports(table => '" + VIEW + "')");
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0)).containsEntry("dry_run", false).containsEntry("table_name", TABLE);
      assertThat(rows.get(1)).containsEntry("dry_run", true);
    }
  }

  @Test
  @Order(4)
  void badInputIsRefusedWithClearMessages() throws Exception {
    String metadata = metadataLocation();
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(table => 'all', older_than_days => -1)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_maintenance: older_than_days must be 0 or more, got -1");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(table => 'nope')"))
          .hasMessage("[NOT_FOUND] Unknown table lake.features.nope: expected a table of the lake catalog (e.g. "
              + "item_popularity_daily, lake.features.item_popularity_daily, lake.raw.events) or 'all'");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(orphan_age_hours => 1)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_maintenance: orphan_age_hours must be at least 24 "
              + "(files younger than that may belong to a commit in progress), got 1");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(retain_last => 0)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_maintenance: retain_last must be at least 1, got 0");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(target_file_size => '12 parsecs')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_maintenance: target_file_size must be a size such "
              + "as 128MB, 512KB or a number of bytes, got '12 parsecs'");
      assertThat(metadataLocation()).isEqualTo(metadata);

      // A retention that would drop run tags: refused before anything changes.
      execute(c, "ALTER TABLE " + TABLE + " SET TBLPROPERTIES ('history.expire.max-ref-age-ms' = '86400000')");
      String refused = metadataLocation();
      try {
        assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(table => 'all', older_than_days => 7)"))
            .hasMessage("[INVALID_STATE] Refusing maintenance of " + TABLE + ": run tag " + published.get(0).tag()
                + " has a max ref age of 86400000 ms (table property history.expire.max-ref-age-ms), so expiring "
                + "snapshots would drop it; run tags are kept forever: remove that retention first");
        assertThat(metadataLocation()).isEqualTo(refused);
      } finally {
        execute(c, "ALTER TABLE " + TABLE + " UNSET TBLPROPERTIES ('history.expire.max-ref-age-ms')");
      }
    }
    // The script's door: same rules, its own flag names.
    assertThatThrownBy(() -> MaintenanceMain.parse(new String[] {"--days", "-3"}))
        .hasMessage("--days must be 0 or more, got -3");
    assertThatThrownBy(() -> MaintenanceMain.parse(new String[] {"--table", VIEW}))
        .hasMessage("--days is required");
  }
}
