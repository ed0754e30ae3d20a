package io.featurelake.gateway.online;

import static io.featurelake.gateway.testing.JdbcRows.query;
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
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.online.OnlineSync;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import redis.clients.jedis.Jedis;

/**
 * Online sync end to end: real Spark, Iceberg, catalog database and a redis-server this class
 * starts on its own port (AOF with fsync on every write, so a SIGKILL loses nothing that was
 * acknowledged and "never backwards" can be checked across the kill).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineSyncIT {

  private static final String ITEMS = "item_popularity_daily";
  private static final String USERS = "user_activity_daily";
  private static final String PROBE = "guard_probe";
  private static final String BIG = "big_entities";
  private static final long DAY_MICROS = 86_400_000_000L;

  private Path home;
  private Path features;
  private Map<String, String> env;
  private RedisProcess redis;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService backfills;
  private SyncService sync;
  private VerifyService verify;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-online-it-");
    features = home.resolve("features");
    Files.createDirectories(features);
    Path real = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    for (String f : List.of(ITEMS, USERS)) {
      Files.copy(real.resolve(f + ".yaml"), features.resolve(f + ".yaml"));
      Files.copy(real.resolve(f + ".sql"), features.resolve(f + ".sql"));
    }
    // The cost test changes a day's raw data on purpose: its drift must not fail the audit.
    Files.writeString(features.resolve(USERS + ".yaml"), Files.readString(features.resolve(USERS + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 1000").replace("max_row_count_change: 0.5", "max_row_count_change: 1000"));
    String checks = "checks:\n  min_row_count: 1\n  max_null_rate: 1.0\n  max_duplicate_keys: 0\n  max_psi: 1000\n"
        + "  max_row_count_change: 1000\n";
    define(PROBE, "entities: [entity_id]\nevent_timestamp: event_date\nsources: [lake.probe.input]\nonline:\n  ttl: 3d\n" + checks,
        "SELECT entity_id, event_date, value, label FROM lake.probe.input\n"
            + "WHERE event_date >= DATE '${start_date}' AND event_date < DATE '${end_date}'");
    define(BIG, "entities: [entity_id]\nevent_timestamp: event_date\nsources: [lake.raw.events]\nonline:\n  ttl: 1d\n" + checks,
        "SELECT id AS entity_id, DATE '${start_date}' AS event_date, id * 3 + unix_date(DATE '${start_date}') AS score\n"
            + "FROM range(0, 60000) CROSS JOIN (SELECT count(*) AS n FROM lake.raw.events WHERE event_ts < TIMESTAMP '2000-01-01')\n"
            + "WHERE DATE '${start_date}' < DATE '${end_date}'");
    define("never_published", "entities: [entity_id]\nevent_timestamp: event_date\nsources: [lake.probe.input]\n" + checks,
        "SELECT entity_id, event_date, value FROM lake.probe.input\n"
            + "WHERE event_date >= DATE '${start_date}' AND event_date < DATE '${end_date}'");

    redis = RedisProcess.start(home, "--appendonly", "yes", "--appendfsync", "always");
    int port = TestPorts.free();
    env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    backfills = new BackfillService(spark, Platform.current());
    sync = new SyncService(spark, Platform.current());
    verify = new VerifyService(spark, sync);
    new EventGenerator().generate(spark, LocalDate.of(2023, 1, 1), LocalDate.of(2023, 3, 5),
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).build());
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.probe");
    spark.sql("CREATE TABLE lake.probe.input (entity_id BIGINT, event_date DATE, value DOUBLE, label STRING) USING iceberg");
  }

  private void define(String name, String yamlBody, String sql) throws Exception {
    Files.writeString(features.resolve(name + ".yaml"), "name: " + name + "\ndescription: test view\n"
        + "owner: test@example.com\nlookback_days: 0\n" + yamlBody);
    Files.writeString(features.resolve(name + ".sql"), sql + "\n");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private BackfillRun backfill(String view, String start, String end) {
    BackfillRun run = backfills.start(BackfillRequest.of(view, start, end, true, "test", "tester"), ProgressListener.NONE).run();
    assertThat(run.state()).as("backfill of %s [%s, %s)", view, start, end).isEqualTo(RunState.PUBLISHED);
    return run;
  }

  private SyncResult sync(String view) {
    return sync.sync(view, false, "tester", line -> { });
  }

  private Jedis jedis() {
    return new Jedis("127.0.0.1", redis.port());
  }

  private static String key(String view, Object entity) {
    return OnlineKeys.key("fl", view, List.of(entity));
  }

  private static long micros(String date) {
    return LocalDate.parse(date).toEpochDay() * DAY_MICROS;
  }

  private void assertClean(String view) {
    VerifyResult v = verify.verify(view, null);
    assertThat(v.checked()).isPositive().isEqualTo(v.matching());
    assertThat(List.of(v.missing(), v.stale(), v.extra())).as("missing, stale, extra of %s", view).containsOnly(0L);
    assertThat(v.redisKeys()).isEqualTo(v.checked());
  }

  @Test
  @Order(1)
  void demoDataSyncsAndVerifiesWithNoMismatchThroughSql() throws Exception {
    BackfillRun run = backfill(ITEMS, "2023-01-01", "2023-01-08");
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      assertThat(query(c, "CALL lake.platform.lineage_run(" + run.runId() + ")"))
          .filteredOn(r -> "online_sync".equals(r.get("section"))).singleElement()
          .satisfies(r -> assertThat(r.get("value")).isEqualTo("not synced yet"));
      Map<String, Object> s = query(c, "CALL lake.platform.sync_online(feature_view => 'item_popularity_daily')").get(0);
      // Lineage now names the sync that carried the run to Redis.
      assertThat(query(c, "CALL lake.platform.lineage_run(" + run.runId() + ")"))
          .filteredOn(r -> "online_sync".equals(r.get("section"))).singleElement()
          .satisfies(r -> assertThat((String) r.get("value")).startsWith("sync " + s.get("sync_id") + " at ")
              .endsWith("-> " + s.get("to_snapshot_id") + ")"));
      assertThat(s).containsEntry("mode", "FULL").containsEntry("keys_kept_newer", 0L);
      long entities = spark.sql("SELECT count(DISTINCT item_id) FROM lake.features.item_popularity_daily").first().getLong(0);
      assertThat(s.get("keys_written")).isEqualTo(entities);
      Map<String, Object> v = query(c, "CALL lake.platform.verify_online('item_popularity_daily')").get(0);
      assertThat(v).containsEntry("checked", entities).containsEntry("matching", entities).containsEntry("missing", 0L)
          .containsEntry("stale", 0L).containsEntry("extra", 0L).containsEntry("sampled", false);
      Map<String, Object> sample = query(c, "CALL lake.platform.verify_online(feature_view => 'item_popularity_daily', sample => 10)").get(0);
      assertThat(sample).containsEntry("checked", 10L).containsEntry("matching", 10L).containsEntry("sampled", true);
      Map<String, Object> st = query(c, "CALL lake.platform.online_status('item_popularity_daily')").get(0);
      assertThat(st).containsEntry("cursor_snapshot_id", s.get("to_snapshot_id")).containsEntry("main_snapshot_id",
          s.get("to_snapshot_id")).containsEntry("lag_snapshots", 0L).containsEntry("last_sync_status", "SUCCEEDED")
          .containsEntry("last_keys_written", entities);

      // Layout: one hash per entity, features + _event_ts + _snapshot_seq, with the view's TTL (2d).
      try (Jedis j = jedis()) {
        Map<String, String> h = j.hgetAll(key(ITEMS, 1L));
        assertThat(h).containsKeys("_event_ts", "_snapshot_seq", "view_count", "revenue");
        assertThat(Long.parseLong(h.get("_event_ts"))).isEqualTo(micros("2023-01-07"));
        assertThat(j.pttl(key(ITEMS, 1L))).isBetween(1L, 2 * 86_400_000L);
      }
      // Nothing changed: a second sync reads nothing.
      Map<String, Object> again = query(c, "CALL lake.platform.sync_online('item_popularity_daily')").get(0);
      assertThat(again).containsEntry("mode", "INCREMENTAL").containsEntry("rows_read", 0L).containsEntry("keys_written", 0L);
    }
  }

  @Test
  @Order(2)
  void anOlderWindowNeverOverwritesNewerValuesButACorrectionOfTheLatestDayDoes() {
    spark.sql("INSERT INTO lake.probe.input VALUES (1, DATE '2023-03-01', 10.0, 'old'), (2, DATE '2023-03-01', 20.0, 'old'), "
        + "(1, DATE '2023-03-05', 50.0, 'new')");
    backfill(PROBE, "2023-03-05", "2023-03-06");
    SyncResult first = sync(PROBE);
    try (Jedis j = jedis()) {
      assertThat(j.hgetAll(key(PROBE, 1L))).containsEntry("value", "50.0").containsEntry("label", "new")
          .containsEntry("_event_ts", String.valueOf(micros("2023-03-05")));
      assertThat(j.exists(key(PROBE, 2L))).isFalse();
    }
    String seqOfFirst;
    try (Jedis j = jedis()) {
      seqOfFirst = j.hget(key(PROBE, 1L), "_snapshot_seq");
    }

    // An OLD window (2023-03-01) published after the newer data was synced.
    backfill(PROBE, "2023-03-01", "2023-03-02");
    SyncResult old = sync(PROBE);
    assertThat(old.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(old.fromSnapshotId()).isEqualTo(first.toSnapshotId());
    assertThat(old.keysWritten()).isEqualTo(2);
    assertThat(old.keysApplied()).isEqualTo(1); // entity 2 is new
    assertThat(old.keysKeptNewer()).isEqualTo(1); // entity 1 keeps 2023-03-05
    try (Jedis j = jedis()) {
      assertThat(j.hgetAll(key(PROBE, 1L))).containsEntry("value", "50.0").containsEntry("_snapshot_seq", seqOfFirst);
      assertThat(j.hgetAll(key(PROBE, 2L))).containsEntry("value", "20.0")
          .containsEntry("_event_ts", String.valueOf(micros("2023-03-01")));
    }

    // A correction of the latest day: same event time, newer snapshot, label becomes NULL.
    spark.sql("UPDATE lake.probe.input SET value = 55.5, label = NULL WHERE entity_id = 1 AND event_date = DATE '2023-03-05'");
    backfill(PROBE, "2023-03-05", "2023-03-06");
    SyncResult fix = sync(PROBE);
    assertThat(fix.keysApplied()).isEqualTo(1);
    try (Jedis j = jedis()) {
      Map<String, String> h = j.hgetAll(key(PROBE, 1L));
      assertThat(h).containsEntry("value", "55.5").containsEntry("_event_ts", String.valueOf(micros("2023-03-05")))
          .doesNotContainKey("label");
      assertThat(Long.parseLong(h.get("_snapshot_seq"))).isGreaterThan(Long.parseLong(seqOfFirst));
    }
    assertClean(PROBE);
  }

  @Test
  @Order(3)
  void theGuardComparesEventTimeThenSnapshotSequenceAtomically() {
    RedisSettings s = sync.settings();
    String k = OnlineKeys.key("fl", "guard_direct", List.of(7L));
    try (OnlineStore store = JedisOnlineStore.open(s); Jedis j = jedis()) {
      j.del(k);
      assertThat(store.writeGuarded(List.of(new OnlineRecord(k, 1_000L, 5L, List.of("f", "a", "g", "x"))), 60_000)).isEqualTo(1);
      // Older event, newer snapshot: refused.
      assertThat(store.writeGuarded(List.of(new OnlineRecord(k, 900L, 9L, List.of("f", "older"))), 60_000)).isZero();
      // Same pair again (a re-run): refused, nothing changes.
      assertThat(store.writeGuarded(List.of(new OnlineRecord(k, 1_000L, 5L, List.of("f", "same"))), 60_000)).isZero();
      assertThat(j.hgetAll(k)).isEqualTo(Map.of("_event_ts", "1000", "_snapshot_seq", "5", "f", "a", "g", "x"));
      // Same event, newer snapshot (a correction): written, whole hash replaced (g became NULL).
      assertThat(store.writeGuarded(List.of(new OnlineRecord(k, 1_000L, 6L, List.of("f", "b"))), 60_000)).isEqualTo(1);
      assertThat(j.hgetAll(k)).isEqualTo(Map.of("_event_ts", "1000", "_snapshot_seq", "6", "f", "b"));
      assertThat(j.pttl(k)).isBetween(1L, 60_000L);
      // Newer event, older snapshot: written.
      assertThat(store.writeGuarded(List.of(new OnlineRecord(k, 2_000L, 1L, List.of("f", "c"))), 0)).isEqualTo(1);
      assertThat(j.hget(k, "f")).isEqualTo("c");
      j.del(k);
    }
  }

  @Test
  @Order(4)
  void costFollowsTheDelta_oneDayBackfillOnSixtyDaysSyncsAboutOneDay() {
    backfill(USERS, "2023-01-01", "2023-03-02");
    SyncResult full = sync(USERS);
    long tableRows = spark.sql("SELECT count(*) FROM lake.features.user_activity_daily").first().getLong(0);
    assertThat(full.rowsRead()).isEqualTo(tableRows);
    String day = "2023-02-15";
    long before = spark.sql("SELECT count(*) FROM lake.features.user_activity_daily WHERE event_date = DATE '" + day + "'")
        .first().getLong(0);
    // New raw events for that day (another seed): the day's features change.
    new EventGenerator().generate(spark, LocalDate.parse(day), LocalDate.parse(day).plusDays(1),
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).seed(7).build());
    backfill(USERS, day, "2023-02-16");
    long after = spark.sql("SELECT count(*) FROM lake.features.user_activity_daily WHERE event_date = DATE '" + day + "'")
        .first().getLong(0);
    SyncResult delta = sync(USERS);
    System.out.printf("cost follows the delta: table %,d rows over 60 days; day %s had %,d rows, now %,d; "
        + "incremental sync read %,d changelog rows, wrote %,d keys (%,d applied, %,d kept newer), retracted %,d, "
        + "deleted %,d; full sync read %,d%n",
        tableRows, day, before, after, delta.rowsRead(), delta.keysWritten(), delta.keysApplied(), delta.keysKeptNewer(),
        delta.keysRetracted(), delta.keysDeleted(), full.rowsRead());
    assertThat(delta.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(delta.rowsRead()).isEqualTo(before + after); // the day's DELETEs and INSERTs, nothing else
    assertThat(delta.keysWritten()).isPositive().isLessThanOrEqualTo(after);
    assertThat(delta.rowsRead()).isLessThan(tableRows / 20);
    assertClean(USERS);
  }

  @Test
  @Order(5)
  void anExpiredCursorFallsBackToAFullGuardedSync() {
    SyncResult before = sync(ITEMS);
    backfill(ITEMS, "2023-01-08", "2023-01-09");
    Table table = new FeatureTables(spark).load(ITEMS);
    long cursor = before.toSnapshotId();
    table.refs().forEach((name, ref) -> {
      if (ref.isTag() && ref.snapshotId() == cursor) {
        table.manageSnapshots().removeTag(name).commit();
      }
    });
    table.expireSnapshots().expireSnapshotId(cursor).commit();
    table.refresh();
    assertThat(table.snapshot(cursor)).isNull();

    SyncResult r = sync(ITEMS);
    assertThat(r.mode()).isEqualTo(SyncService.FULL_FALLBACK);
    assertThat(r.message()).isEqualTo("cursor snapshot " + cursor + " no longer exists (expired by maintenance): "
        + "fell back to a full guarded sync");
    long items = spark.sql("SELECT count(DISTINCT item_id) FROM lake.features.item_popularity_daily").first().getLong(0);
    long itemsOnTheNewDay = spark.sql("SELECT count(*) FROM lake.features.item_popularity_daily "
        + "WHERE event_date = DATE '2023-01-08'").first().getLong(0);
    assertThat(r.keysWritten()).isEqualTo(items);
    // Only the items of the new day move; the guard keeps the rest as they were (equal pairs).
    assertThat(r.keysApplied()).isEqualTo(itemsOnTheNewDay);
    assertClean(ITEMS);
  }

  @Test
  @Order(6)
  void redisKilledMidSyncFailsClearlyKeepsTheCursorAndTheRerunConverges() throws Exception {
    backfill(BIG, "2023-02-01", "2023-02-02");
    SyncResult first = sync(BIG);
    assertThat(first.keysApplied()).isEqualTo(60_000);
    List<String> probe = new ArrayList<>();
    for (long id = 0; id < 60_000; id += 97) {
      probe.add(key(BIG, id));
    }
    Map<String, long[]> floor = pairs(probe);

    backfill(BIG, "2023-02-02", "2023-02-03");
    // Small batches and no pipelining make the sync slow enough to be killed in the middle.
    SyncService slow = new SyncService(spark, Platform.current(), new RedisSettings("127.0.0.1", redis.port(), 0, false,
        null, null, List.of(), 2000, "fl", 20, 1));
    long evalshaBefore = evalshaCalls();
    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        if (evalshaCalls() - evalshaBefore >= 100) {
          redis.kill();
          killed.set(true);
          return;
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    assertThatThrownBy(() -> slow.sync(BIG, false, "tester", line -> { }))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.EXTERNAL_FAILURE))
        .hasMessageStartingWith("Online sync ")
        .hasMessageContaining(" of big_entities failed: Redis at 127.0.0.1:" + redis.port() + "/0 ")
        .hasMessageContaining("; the cursor stays at snapshot " + first.toSnapshotId() + " (keys acknowledged before the failure: ");
    killer.get(10, TimeUnit.SECONDS);
    assertThat(killed).isTrue();
    assertThat(sync.syncs().cursor(BIG).orElseThrow().snapshotId()).isEqualTo(first.toSnapshotId());
    assertThat(sync.syncs().last(BIG).orElseThrow().status()).isEqualTo(OnlineSync.FAILED);

    redis.startProcess();
    Map<String, long[]> afterKill = pairs(probe);
    assertNeverBackwards(floor, afterKill);
    SyncResult rerun = sync(BIG);
    assertThat(rerun.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(rerun.fromSnapshotId()).isEqualTo(first.toSnapshotId());
    assertNeverBackwards(afterKill, pairs(probe));
    assertClean(BIG);
    try (Jedis j = jedis()) {
      assertThat(j.hget(key(BIG, 5L), "_event_ts")).isEqualTo(String.valueOf(micros("2023-02-02")));
    }
  }

  @Test
  @Order(7)
  void badInputFailsClearlyAndWritesNothing() throws Exception {
    assertThatThrownBy(() -> sync("no_such_view"))
        .isInstanceOf(PlatformException.class)
        .hasMessage("Unknown feature view 'no_such_view'; defined in " + features + ": big_entities, guard_probe, "
            + "item_popularity_daily, never_published, user_activity_daily");
    assertThatThrownBy(() -> sync("never_published"))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_STATE))
        .hasMessage("Feature view never_published has never been published: lake.features.never_published does not "
            + "exist; publish a backfill first (./run_backfill.sh or CALL lake.platform.start_backfill(...))");
    assertThat(sync.syncs().last("never_published")).isEmpty();

    long cursor = sync.syncs().cursor(PROBE).orElseThrow().snapshotId();
    int closed = TestPorts.free();
    SyncService unreachable = new SyncService(spark, Platform.current(), sync.settings().withEndpoint("127.0.0.1", closed, 0));
    assertThatThrownBy(() -> unreachable.sync(PROBE, true, "tester", line -> { }))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.EXTERNAL_FAILURE))
        .hasMessageMatching("Online sync \\d+ of guard_probe failed: Redis at 127\\.0\\.0\\.1:" + closed
            + "/0 is unreachable \\(connect failed: Failed to connect to 127\\.0\\.0\\.1:" + closed
            + ": Connection refused\\); the cursor stays at snapshot " + cursor
            + " \\(keys acknowledged before the failure: 0\\); re-run sync_online once the cause is fixed");
    // A failed sync is an alert naming the view and its owner.
    assertThat(new io.featurelake.sqlcatalog.audit.AlertRepository(Platform.current().catalogDatabase())
        .recent(PROBE, "SYNC_FAILED", 1)).singleElement().satisfies(a -> {
          assertThat(a.message()).contains(" of guard_probe failed: Redis at 127.0.0.1:" + closed + "/0 is unreachable");
          assertThat(a.owner()).isEqualTo("test@example.com");
        });

    try (RedisProcess locked = RedisProcess.start(home, "--requirepass", "s3cret")) {
      SyncService wrong = new SyncService(spark, Platform.current(),
          sync.settings().withEndpoint("127.0.0.1", locked.port(), 0).withPassword("wrong"));
      assertThatThrownBy(() -> wrong.sync(PROBE, false, "tester", line -> { }))
          .isInstanceOf(PlatformException.class)
          .hasMessageMatching("Online sync \\d+ of guard_probe failed: Redis at 127\\.0\\.0\\.1:" + locked.port()
              + "/0 refused the credentials \\(WRONGPASS invalid username-password pair or user is disabled\\.\\); "
              + "check featurelake\\.redis\\.password; the cursor stays at snapshot " + cursor + " .*");
      try (Jedis j = new Jedis("127.0.0.1", locked.port())) {
        j.auth("s3cret");
        assertThat(j.dbSize()).isZero();
      }
    }
    assertThat(sync.syncs().cursor(PROBE).orElseThrow().snapshotId()).isEqualTo(cursor);
    assertThat(sync.syncs().last(PROBE).orElseThrow().status()).isEqualTo(OnlineSync.FAILED);
    // The failures wrote nothing: the next run finds Redis as the last good sync left it.
    assertClean(PROBE);

    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      assertThatThrownBy(() -> query(c, "CALL lake.platform.verify_online(feature_view => 'guard_probe', sample => 0)"))
          .hasMessageContaining("[INVALID_PROCEDURE_ARGUMENT] lake.platform.verify_online: sample must be at least 1, got 0");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.sync_online(feature_view => 'nope')"))
          .hasMessageContaining("[NOT_FOUND] Unknown feature view 'nope'");
    }
  }

  @Test
  @Order(8)
  void aSyncKilledWithItsProcessIsMarkedAbandonedByTheNextSyncWhichConverges() throws Exception {
    long cursorBefore = sync.syncs().cursor(BIG).orElseThrow().snapshotId();
    backfill(BIG, "2023-02-03", "2023-02-04");
    // run_sync.sh's main in another JVM on the same lakehouse, catalog and Redis; small batches
    // and no pipelining make its 60,000 keys slow enough to kill it while its executors write.
    Map<String, String> childEnv = new HashMap<>(env);
    childEnv.put("FEATURELAKE_ONLINE_BATCH_SIZE", "20");
    childEnv.put("FEATURELAKE_ONLINE_PIPELINE_DEPTH", "1");
    long evalshaBefore = evalshaCalls();
    Process child = ChildJvm.start(SyncMain.class, childEnv, home, "--feature_view", BIG, "--no-verify");
    OnlineSync victim = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    try {
      while (child.isAlive() && System.nanoTime() < deadline) {
        if (victim == null) {
          victim = sync.syncs().running(BIG).stream().filter(s -> s.ownerPid() != null && s.ownerPid() == child.pid())
              .findFirst().orElse(null);
        } else if (evalshaCalls() - evalshaBefore >= 100) {
          break;
        }
        Thread.sleep(20);
      }
      assertThat(victim).as("the child's sync was recorded RUNNING with its pid").isNotNull();
      assertThat(evalshaCalls() - evalshaBefore).as("the child's executors were writing").isGreaterThanOrEqualTo(100);
    } finally {
      child.destroyForcibly(); // kill -9
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    String host = ProcessOwner.current().host();
    OnlineSync stuck = sync.syncs().find(victim.syncId()).orElseThrow();
    assertThat(stuck.status()).isEqualTo(OnlineSync.RUNNING);
    assertThat(stuck.owner()).isEqualTo(host + " pid " + child.pid());
    assertThat(stuck.heartbeatAt()).isNotNull();
    assertThat(sync.syncs().cursor(BIG).orElseThrow().snapshotId()).isEqualTo(cursorBefore);

    List<String> progress = new ArrayList<>();
    SyncResult next = sync.sync(BIG, false, "tester", progress::add);

    String abandoned = "abandoned: owner process " + child.pid() + " on " + host + " is gone (killed or crashed while the "
        + "sync was RUNNING); the cursor was not moved";
    assertThat(sync.syncs().find(victim.syncId()).orElseThrow()).satisfies(s -> {
      assertThat(s.status()).isEqualTo(OnlineSync.FAILED);
      assertThat(s.message()).isEqualTo(abandoned);
    });
    assertThat(progress).contains(BIG + ": sync " + victim.syncId() + " marked FAILED: " + abandoned);
    String abandonedAlert = "Online sync " + victim.syncId() + " of " + BIG + " marked FAILED: " + abandoned;
    assertThat(new io.featurelake.sqlcatalog.audit.AlertRepository(Platform.current().catalogDatabase())
        .recent(BIG, "SYNC_FAILED", 10)).anySatisfy(a -> assertThat(a.message()).isEqualTo(abandonedAlert));
    assertThat(next.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(next.fromSnapshotId()).isEqualTo(cursorBefore);
    assertThat(next.keysWritten()).isEqualTo(60_000);
    assertThat(sync.syncs().cursor(BIG).orElseThrow().snapshotId()).isEqualTo(next.toSnapshotId());
    assertThat(sync.syncs().last(BIG).orElseThrow().status()).isEqualTo(OnlineSync.SUCCEEDED);
    assertClean(BIG);
    try (Jedis j = jedis()) {
      assertThat(j.hget(key(BIG, 5L), "_event_ts")).isEqualTo(String.valueOf(micros("2023-02-03")));
    }
  }

  @Test
  @Order(9)
  void onlineStatusMarksAndShowsASyncWhoseProcessIsGoneOrSilent() throws Exception {
    long cursor = sync.syncs().cursor(PROBE).orElseThrow().snapshotId();
    String host = ProcessOwner.current().host();
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long dead = sync.syncs().start(PROBE, SyncService.INCREMENTAL, cursor, cursor, "tester", new ProcessOwner(host, gone.pid()));

    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      Map<String, Object> st = query(c, "CALL lake.platform.online_status('guard_probe')").get(0);
      assertThat(st).containsEntry("last_sync_id", dead).containsEntry("last_sync_status", "FAILED")
          .containsEntry("last_message", "abandoned: owner process " + gone.pid() + " on " + host + " is gone (killed or "
              + "crashed while the sync was RUNNING); the cursor was not moved")
          .containsEntry("last_sync_owner", host + " pid " + gone.pid())
          .containsEntry("cursor_snapshot_id", cursor);
    }

    // On another host the process cannot be checked: its heartbeat decides.
    long silent = sync.syncs().start(PROBE, SyncService.INCREMENTAL, cursor, cursor, "tester",
        new ProcessOwner("elsewhere.example", 4242));
    assertThat(sync.status(PROBE)).singleElement().satisfies(s -> {
      assertThat(s.lastSyncId()).isEqualTo(silent);
      assertThat(s.lastSyncStatus()).isEqualTo(OnlineSync.RUNNING);
    });
    try (Connection c = Platform.current().catalogDatabase().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE online_syncs SET heartbeat_at = ? WHERE sync_id = ?")) {
      ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(11)); // default abandon-after: 10 min
      ps.setLong(2, silent);
      ps.executeUpdate();
    }
    assertThat(sync.status(PROBE)).singleElement().satisfies(s -> {
      assertThat(s.lastSyncStatus()).isEqualTo(OnlineSync.FAILED);
      assertThat(s.lastMessage()).startsWith("abandoned: no heartbeat from elsewhere.example pid 4242 since ")
          .endsWith(" (more than 10 min); the cursor was not moved");
      assertThat(s.cursorSnapshotId()).isEqualTo(cursor);
    });
  }

  @Test
  @Order(10)
  void theRetractionScriptReplacesOrDeletesOnlyValuesBelowThePairAtomically() {
    String absent = OnlineKeys.key("fl", "retract_direct", List.of(1L));
    String absentNone = OnlineKeys.key("fl", "retract_direct", List.of(2L));
    String removed = OnlineKeys.key("fl", "retract_direct", List.of(3L));
    String removedNoRow = OnlineKeys.key("fl", "retract_direct", List.of(4L));
    String laterCommit = OnlineKeys.key("fl", "retract_direct", List.of(5L));
    String newerDay = OnlineKeys.key("fl", "retract_direct", List.of(6L));
    String byTheRemovingCommit = OnlineKeys.key("fl", "retract_direct", List.of(7L));
    List<String> all = List.of(absent, absentNone, removed, removedNoRow, laterCommit, newerDay, byTheRemovingCommit);
    try (OnlineStore store = JedisOnlineStore.open(sync.settings()); Jedis j = jedis()) {
      all.forEach(j::del);
      // What Redis holds: (1000, 5) came from rows the commit of sequence 7 removed; (1000, 9)
      // from a later commit; (2000, 1) is a newer day; (1000, 7) was written by the removing commit.
      store.writeGuarded(List.of(new OnlineRecord(removed, 1_000L, 5L, List.of("f", "gone", "g", "gone")),
          new OnlineRecord(removedNoRow, 1_000L, 5L, List.of("f", "gone")),
          new OnlineRecord(laterCommit, 1_000L, 9L, List.of("f", "later")),
          new OnlineRecord(newerDay, 2_000L, 1L, List.of("f", "newer")),
          new OnlineRecord(byTheRemovingCommit, 1_000L, 7L, List.of("f", "same commit"))), 0);
      OnlineRetraction.Outcome outcome = store.retract(List.of(
          new OnlineRetraction(absent, 1_000L, 7L, new OnlineRecord(absent, 900L, 3L, List.of("f", "day4"))),
          new OnlineRetraction(absentNone, 1_000L, 7L, null),
          new OnlineRetraction(removed, 1_000L, 7L, new OnlineRecord(removed, 900L, 3L, List.of("f", "day4"))),
          new OnlineRetraction(removedNoRow, 1_000L, 7L, null),
          new OnlineRetraction(laterCommit, 1_000L, 7L, new OnlineRecord(laterCommit, 900L, 3L, List.of())),
          new OnlineRetraction(newerDay, 1_000L, 7L, null),
          new OnlineRetraction(byTheRemovingCommit, 1_000L, 7L, new OnlineRecord(byTheRemovingCommit, 900L, 3L,
              List.of("f", "day4")))), 60_000);
      assertThat(outcome).isEqualTo(new OnlineRetraction.Outcome(2, 1));
      assertThat(j.hgetAll(absent)).isEqualTo(Map.of("_event_ts", "900", "_snapshot_seq", "3", "f", "day4"));
      assertThat(j.exists(absentNone)).isFalse();
      // The whole hash is replaced (g is gone) and gets the TTL.
      assertThat(j.hgetAll(removed)).isEqualTo(Map.of("_event_ts", "900", "_snapshot_seq", "3", "f", "day4"));
      assertThat(j.pttl(removed)).isBetween(1L, 60_000L);
      assertThat(j.exists(removedNoRow)).isFalse();
      assertThat(j.hgetAll(laterCommit)).isEqualTo(Map.of("_event_ts", "1000", "_snapshot_seq", "9", "f", "later"));
      assertThat(j.hgetAll(newerDay)).isEqualTo(Map.of("_event_ts", "2000", "_snapshot_seq", "1", "f", "newer"));
      assertThat(j.hget(byTheRemovingCommit, "f")).isEqualTo("same commit");
      // Retracting a key that is already gone deletes nothing.
      assertThat(store.retract(List.of(new OnlineRetraction(removedNoRow, 1_000L, 7L, null)), 60_000))
          .isEqualTo(new OnlineRetraction.Outcome(0, 0));
      all.forEach(j::del);
    }
  }

  @Test
  @Order(11)
  void rowsRemovedFromMainAreRetractedFromRedisButNeverANewerValue() throws Exception {
    // 101: days 4 and 5, its day 5 will be removed; 102: only day 5, removed; 103: days 4 and 5, kept;
    // 105: only day 5, removed, but Redis will hold a value from a (simulated) later commit.
    spark.sql("INSERT INTO lake.probe.input VALUES "
        + "(101, DATE '2023-04-04', 41.0, 'd4'), (101, DATE '2023-04-05', 51.0, 'd5'), "
        + "(102, DATE '2023-04-05', 52.0, 'd5'), "
        + "(103, DATE '2023-04-04', 43.0, 'd4'), (103, DATE '2023-04-05', 53.0, 'd5'), "
        + "(105, DATE '2023-04-05', 55.0, 'd5')");
    backfill(PROBE, "2023-04-04", "2023-04-06");
    SyncResult first = sync(PROBE);
    assertThat(first.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(List.of(first.keysRetracted(), first.keysDeleted())).containsOnly(0L);
    try (Jedis j = jedis()) {
      assertThat(j.hgetAll(key(PROBE, 101L))).containsEntry("value", "51.0")
          .containsEntry("_event_ts", String.valueOf(micros("2023-04-05")));
      assertThat(j.exists(key(PROBE, 102L))).isTrue();
    }
    assertClean(PROBE);

    // Day 5 re-backfilled without 101, 102 and 105.
    spark.sql("DELETE FROM lake.probe.input WHERE entity_id IN (101, 102, 105) AND event_date = DATE '2023-04-05'");
    backfill(PROBE, "2023-04-05", "2023-04-06");
    Table table = new FeatureTables(spark).load(PROBE);
    long headSeq = table.currentSnapshot().sequenceNumber();
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      // A value for 105 from a commit after the re-backfill, written through the normal guard.
      assertThat(store.writeGuarded(List.of(new OnlineRecord(key(PROBE, 105L), micros("2023-04-05"), headSeq + 100,
          List.of("value", "99.0", "label", "later"))), 3 * 86_400_000L)).isEqualTo(1);
    }

    SyncResult r = sync(PROBE);
    assertThat(r.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(r.keysRetracted()).isEqualTo(1); // 101 gets its day 4
    assertThat(r.keysDeleted()).isEqualTo(1); // 102 has no row left
    assertThat(r.message()).endsWith("; rows removed from main: 1 keys given main's latest row, 1 deleted (no row left)");
    OnlineSync recorded = sync.syncs().last(PROBE).orElseThrow();
    assertThat(List.of(recorded.keysRetracted(), recorded.keysDeleted())).containsExactly(1L, 1L);
    try (Jedis j = jedis()) {
      assertThat(j.hgetAll(key(PROBE, 101L))).containsEntry("value", "41.0").containsEntry("label", "d4")
          .containsEntry("_event_ts", String.valueOf(micros("2023-04-04")));
      assertThat(j.pttl(key(PROBE, 101L))).isBetween(1L, 3 * 86_400_000L);
      assertThat(j.exists(key(PROBE, 102L))).isFalse();
      assertThat(j.hgetAll(key(PROBE, 103L))).containsEntry("value", "53.0");
      // The retraction of 105's day 5 (an older commit) keeps the newer value.
      assertThat(j.hgetAll(key(PROBE, 105L))).containsEntry("value", "99.0")
          .containsEntry("_snapshot_seq", String.valueOf(headSeq + 100));
      // That later commit is only simulated (main has no row of 105): drop it before verifying.
      j.del(key(PROBE, 105L));
    }
    assertClean(PROBE);
    try (Connection c = HiveJdbc.connect(gateway.jdbcUrl())) {
      Map<String, Object> again = query(c, "CALL lake.platform.sync_online('guard_probe')").get(0);
      assertThat(again).containsEntry("keys_retracted", 0L).containsEntry("keys_deleted", 0L);
    }
  }

  private long evalshaCalls() {
    try (Jedis j = jedis()) {
      String stats = j.info("commandstats");
      for (String line : stats.split("\r?\n")) {
        if (line.startsWith("cmdstat_evalsha:calls=")) {
          return Long.parseLong(line.substring("cmdstat_evalsha:calls=".length()).split(",")[0]);
        }
      }
      return 0;
    } catch (RuntimeException down) {
      return Long.MIN_VALUE / 2;
    }
  }

  /** (_event_ts, _snapshot_seq) per key; keys without a hash are left out. */
  private Map<String, long[]> pairs(List<String> keys) {
    Map<String, long[]> out = new HashMap<>();
    try (Jedis j = jedis()) {
      for (String k : keys) {
        List<String> v = j.hmget(k, "_event_ts", "_snapshot_seq");
        if (v.get(0) != null) {
          out.put(k, new long[] {Long.parseLong(v.get(0)), Long.parseLong(v.get(1))});
        }
      }
    }
    return out;
  }

  private static void assertNeverBackwards(Map<String, long[]> before, Map<String, long[]> after) {
    before.forEach((k, b) -> {
      long[] a = after.get(k);
      assertThat(a).as("key %s disappeared", k).isNotNull();
      assertThat(a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1])).as("key %s went from %s/%s back to %s/%s", k, b[0], b[1],
          a[0], a[1]).isTrue();
    });
  }
}
