package io.featurelake.gateway.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.RedisClusterProcess;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Online sync into a real Redis Cluster: three redis-server masters this class starts on free
 * ports and joins with {@code redis-cli --cluster create}, configured the way production is
 * ({@code featurelake.redis.cluster-nodes}), with real Spark, Iceberg and the catalog database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineClusterIT {

  private static final String USERS = "cl_users";
  private static final String PROBE = "cl_probe";
  private static final String RATE = "cl_rate";
  private static final long DAY_MICROS = 86_400_000_000L;
  /** Entities of the ad-hoc rate comparison; {@code -Dfeaturelake.it.cluster-rate-entities=200000} for a real figure. */
  private static final long RATE_ENTITIES = Long.getLong("featurelake.it.cluster-rate-entities", 20_000L);

  private Path home;
  private Path features;
  private RedisClusterProcess cluster;
  private SparkSession spark;
  private BackfillService backfills;
  private SyncService sync;
  private VerifyService verify;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-cluster-it-");
    features = Files.createDirectories(home.resolve("features"));
    String checks = "checks:\n  min_row_count: 1\n  max_null_rate: 1.0\n  max_duplicate_keys: 0\n  max_psi: 1000\n"
        + "  max_row_count_change: 1000\n";
    for (String view : List.of(USERS, PROBE)) {
      String source = view.equals(USERS) ? "lake.cl.input" : "lake.cl.probe";
      define(view, "entities: [entity_id]\nevent_timestamp: event_date\nsources: [" + source + "]\nonline:\n  ttl: 3d\n"
          + checks, "SELECT entity_id, event_date, score, label FROM " + source + "\n"
          + "WHERE event_date >= DATE '${start_date}' AND event_date < DATE '${end_date}'");
    }
    define(RATE, "entities: [entity_id]\nevent_timestamp: event_date\nsources: [lake.cl.rate_seed]\nonline:\n  ttl: 1d\n" + checks,
        "SELECT entity_id, event_date, clicks, spend, segment FROM lake.cl.rate_seed\n"
            + "WHERE event_date >= DATE '${start_date}' AND event_date < DATE '${end_date}'");

    cluster = RedisClusterProcess.start(home.resolve("redis-cluster"), 3);
    Map<String, String> env = new HashMap<>();
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_CLUSTER_NODES", String.join(",", cluster.seeds()));
    spark = LakeSessions.create(TestConfigs.load(home, TestPorts.free(), env));
    backfills = new BackfillService(spark, Platform.current());
    sync = new SyncService(spark, Platform.current());
    verify = new VerifyService(spark, sync);
    assertThat(sync.settings().cluster()).isTrue();

    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.cl");
    for (String t : List.of("input", "probe")) {
      spark.sql("CREATE TABLE lake.cl." + t + " (entity_id BIGINT, event_date DATE, score DOUBLE, label STRING) USING iceberg");
    }
    // Day 1: entities 0..2999, day 2: 0..1999, day 3: 0..999; score = entity * 10 + day.
    for (int day = 1; day <= 3; day++) {
      spark.sql("INSERT INTO lake.cl.input SELECT id, DATE '2023-01-0" + day + "', id * 10.0 + " + day + ", 'd" + day
          + "' FROM range(0, " + (4 - day) * 1000 + ")");
    }
  }

  private void define(String name, String yamlBody, String sql) throws Exception {
    Files.writeString(features.resolve(name + ".yaml"), "name: " + name + "\ndescription: cluster test view\n"
        + "owner: test@example.com\nlookback_days: 0\n" + yamlBody);
    Files.writeString(features.resolve(name + ".sql"), sql + "\n");
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void backfill(String view, String start, String end) {
    BackfillRun run = backfills.start(BackfillRequest.of(view, start, end, true, "test", "tester"), ProgressListener.NONE).run();
    assertThat(run.state()).as("backfill of %s [%s, %s)", view, start, end).isEqualTo(RunState.PUBLISHED);
  }

  private SyncResult sync(String view) {
    return sync.sync(view, false, "tester", line -> { });
  }

  private static String key(String view, long entity) {
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

  /** The node (by port) that serves a key's slot, asked of the cluster itself. */
  private int nodeOf(String key) {
    return cluster.portServing(JedisClusterCRC16.getSlot(key));
  }

  /** Keys of the view on each master, counted by a SCAN of that master alone. */
  private Map<Integer, Long> keysPerMaster(String view) {
    Map<Integer, Long> out = new LinkedHashMap<>();
    for (int port : cluster.ports()) {
      long n = 0;
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        ScanParams params = new ScanParams().match(OnlineKeys.viewPattern("fl", view)).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          ScanResult<String> page = j.scan(cursor, params);
          n += page.getResult().size();
          cursor = page.getCursor();
        } while (!"0".equals(cursor));
      }
      out.put(port, n);
    }
    return out;
  }

  /** How many error replies of a kind (MOVED, NOSCRIPT, ...) a node has sent (INFO errorstats). */
  private static long errorCount(int port, String kind) {
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      for (String line : j.info("errorstats").split("\r?\n")) {
        if (line.startsWith("errorstat_" + kind + ":count=")) {
          return Long.parseLong(line.substring(line.indexOf('=') + 1).strip());
        }
      }
      return 0;
    }
  }

  private Map<String, String> hash(String key) {
    try (Jedis j = new Jedis("127.0.0.1", nodeOf(key))) {
      return j.hgetAll(key);
    }
  }

  @Test
  @Order(1)
  void aFullSyncSpreadsTheViewOverEveryMasterAndVerifiesClean() {
    backfill(USERS, "2023-01-01", "2023-01-04");
    SyncResult r = sync(USERS);

    assertThat(r.mode()).isEqualTo(SyncService.FULL);
    assertThat(r.rowsRead()).isEqualTo(6000);
    assertThat(List.of(r.keysWritten(), r.keysApplied())).containsOnly(3000L);
    Map<Integer, Long> perMaster = keysPerMaster(USERS);
    assertThat(perMaster.values()).as("keys per master %s", perMaster).allMatch(n -> n > 500);
    assertThat(perMaster.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3000);
    assertThat(hash(key(USERS, 1500))).containsEntry("score", "15002.0").containsEntry("label", "d2")
        .containsEntry("_event_ts", String.valueOf(micros("2023-01-02"))).containsKey("_snapshot_seq");
    try (Jedis j = new Jedis("127.0.0.1", nodeOf(key(USERS, 7)))) {
      assertThat(j.pttl(key(USERS, 7))).isBetween(1L, 3 * 86_400_000L);
    }
    assertClean(USERS);
  }

  @Test
  @Order(2)
  void anIncrementalSyncAfterAOneDayBackfillWritesOnlyThatDaysKeys() {
    Map<String, String> untouched = hash(key(USERS, 2500)); // day 1 only
    spark.sql("UPDATE lake.cl.input SET score = score + 0.5 WHERE event_date = DATE '2023-01-02'");
    backfill(USERS, "2023-01-02", "2023-01-03");
    SyncResult r = sync(USERS);

    assertThat(r.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertThat(r.rowsRead()).isEqualTo(4000); // the day's 2,000 DELETEs and 2,000 INSERTs, nothing else
    assertThat(r.keysWritten()).isEqualTo(2000); // entities of that day
    assertThat(r.keysApplied()).isEqualTo(1000); // 1000..1999: the day is their latest
    assertThat(r.keysKeptNewer()).isEqualTo(1000); // 0..999 have day 3
    assertThat(hash(key(USERS, 1500))).containsEntry("score", "15002.5");
    assertThat(hash(key(USERS, 500))).containsEntry("score", "5003.0");
    assertThat(hash(key(USERS, 2500))).isEqualTo(untouched);
    assertClean(USERS);
  }

  @Test
  @Order(3)
  void theGuardHoldsInClusterMode_olderEventKeptCorrectionWritten() {
    // Entities 1..30 on 2023-03-05, published and synced first.
    spark.sql("INSERT INTO lake.cl.probe SELECT id, DATE '2023-03-05', id * 1.0, 'new' FROM range(1, 31)");
    backfill(PROBE, "2023-03-05", "2023-03-06");
    sync(PROBE);
    assertThat(keysPerMaster(PROBE).values()).allMatch(n -> n > 0);
    String seqOfFirst = hash(key(PROBE, 1)).get("_snapshot_seq");

    // An older window for entities 1..60 published afterwards: 31..60 are new, 1..30 keep 2023-03-05.
    spark.sql("INSERT INTO lake.cl.probe SELECT id, DATE '2023-03-01', -1.0, 'old' FROM range(1, 61)");
    backfill(PROBE, "2023-03-01", "2023-03-02");
    SyncResult old = sync(PROBE);
    assertThat(List.of(old.keysWritten(), old.keysApplied(), old.keysKeptNewer())).containsExactly(60L, 30L, 30L);
    for (long e = 1; e <= 30; e++) {
      assertThat(hash(key(PROBE, e))).containsEntry("label", "new").containsEntry("_snapshot_seq", seqOfFirst);
    }
    assertThat(hash(key(PROBE, 45))).containsEntry("label", "old");

    // A correction of the latest day: same event time, newer snapshot; label becomes NULL.
    spark.sql("UPDATE lake.cl.probe SET score = score + 100, label = NULL WHERE event_date = DATE '2023-03-05'");
    backfill(PROBE, "2023-03-05", "2023-03-06");
    SyncResult fix = sync(PROBE);
    assertThat(List.of(fix.keysWritten(), fix.keysApplied())).containsExactly(30L, 30L);
    for (long e = 1; e <= 30; e++) {
      Map<String, String> h = hash(key(PROBE, e));
      assertThat(h).containsEntry("score", (e + 100) + ".0").containsEntry("_event_ts", String.valueOf(micros("2023-03-05")))
          .doesNotContainKey("label");
      assertThat(Long.parseLong(h.get("_snapshot_seq"))).isGreaterThan(Long.parseLong(seqOfFirst));
    }
    assertClean(PROBE);
  }

  /** 30 keys of a view that sits on no table, spread over the masters. */
  private static List<String> directKeys(String view) {
    List<String> keys = new ArrayList<>();
    for (long e = 0; e < 30; e++) {
      keys.add(key(view, e));
    }
    return keys;
  }

  private static List<OnlineRecord> records(List<String> keys, long ts, long seq, String value) {
    return keys.stream().map(k -> new OnlineRecord(k, ts, seq, List.of("f", value))).toList();
  }

  @Test
  @Order(4)
  void oneGuardedWriteAcrossMastersCountsExactly() {
    List<String> keys = directKeys("guard_direct");
    assertThat(keys.stream().map(this::nodeOf).distinct()).hasSize(3);
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      assertThat(store.writeGuarded(records(keys, 1_000, 5, "a"), 60_000)).isEqualTo(30);
      List<OnlineRecord> mixed = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        // Even: older event from a newer snapshot (refused). Odd: same event, newer snapshot (a correction).
        mixed.add(i % 2 == 0 ? new OnlineRecord(keys.get(i), 900, 9, List.of("f", "older"))
            : new OnlineRecord(keys.get(i), 1_000, 6, List.of("f", "fixed")));
      }
      assertThat(store.writeGuarded(mixed, 60_000)).isEqualTo(15);
      // The same batch again (a re-run): nothing is written.
      assertThat(store.writeGuarded(mixed, 60_000)).isZero();
      List<Map<String, String>> read = store.readAll(keys);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(read.get(i)).isEqualTo(i % 2 == 0 ? Map.of("_event_ts", "1000", "_snapshot_seq", "5", "f", "a")
            : Map.of("_event_ts", "1000", "_snapshot_seq", "6", "f", "fixed"));
      }
      // One retraction over every master, pair (1000, 6): the even keys (1000, 5) are below it and go
      // (a replacement for every 4th key, a delete for the others); the odd keys (1000, 6) are kept.
      List<OnlineRetraction> retractions = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        String k = keys.get(i);
        retractions.add(new OnlineRetraction(k, 1_000, 6, i % 4 == 0 ? new OnlineRecord(k, 800, 2, List.of("f", "day4")) : null));
      }
      assertThat(store.retract(retractions, 60_000)).isEqualTo(new OnlineRetraction.Outcome(8, 7));
      List<Map<String, String>> after = store.readAll(keys);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(after.get(i)).isEqualTo(i % 4 == 0 ? Map.of("_event_ts", "800", "_snapshot_seq", "2", "f", "day4")
            : i % 2 == 0 ? Map.of() : Map.of("_event_ts", "1000", "_snapshot_seq", "6", "f", "fixed"));
      }
      assertThat(store.deleteMatching(OnlineKeys.viewPattern("fl", "guard_direct"))).isEqualTo(23);
    }
  }

  @Test
  @Order(5)
  void aFullResyncAndScanAndDeleteWorkAcrossMasters() {
    SyncResult full = sync.sync(USERS, true, "tester", line -> { });
    assertThat(full.mode()).isEqualTo(SyncService.FULL);
    assertThat(full.keysWritten()).isEqualTo(3000);
    assertThat(full.keysKeptNewer()).isEqualTo(3000); // every pair is already there

    // Strays of the view (entities not on main) on every master: verify finds them through SCAN.
    List<String> strays = new ArrayList<>();
    for (long e = 1_000_000; strays.size() < 9; e++) {
      strays.add(key(USERS, e));
    }
    assertThat(strays.stream().map(this::nodeOf).distinct()).hasSize(3);
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      assertThat(store.writeGuarded(records(strays, 1, 1, "stray"), 0)).isEqualTo(9);
      VerifyResult v = verify.verify(USERS, null);
      assertThat(v.extra()).isEqualTo(9);
      assertThat(v.redisKeys()).isEqualTo(3009);

      // Deleting the view's keys empties every master; a full sync brings them back.
      assertThat(store.deleteMatching(OnlineKeys.viewPattern("fl", USERS))).isEqualTo(3009);
      assertThat(keysPerMaster(USERS).values()).containsOnly(0L);
      VerifyResult empty = verify.verify(USERS, null);
      assertThat(List.of(empty.missing(), empty.redisKeys())).containsExactly(3000L, 0L);
    }
    SyncResult refill = sync.sync(USERS, true, "tester", line -> { });
    assertThat(List.of(refill.keysWritten(), refill.keysApplied())).containsOnly(3000L);
    assertClean(USERS);
  }

  @Test
  @Order(6)
  void aSlotReshardedUnderALiveStoreIsFollowed() {
    List<String> keys = directKeys("resharded");
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      assertThat(store.writeGuarded(records(keys, 1_000, 1, "a"), 60_000)).isEqualTo(30);
      // The store read the slot map before; now one key's slot moves to another master.
      String moved = keys.get(3);
      int from = nodeOf(moved);
      int to = cluster.ports().stream().filter(p -> p != from).findFirst().orElseThrow();
      cluster.moveSlot(JedisClusterCRC16.getSlot(moved), to);
      assertThat(nodeOf(moved)).isEqualTo(to);
      long movedBefore = errorCount(from, "MOVED");

      assertThat(store.writeGuarded(records(keys, 2_000, 1, "b"), 60_000)).isEqualTo(30);
      assertThat(errorCount(from, "MOVED")).as("the old owner answered MOVED").isGreaterThan(movedBefore);
      assertThat(store.readAll(keys)).allSatisfy(h -> assertThat(h).containsEntry("f", "b"));
      assertThat(store.deleteMatching(OnlineKeys.viewPattern("fl", "resharded"))).isEqualTo(30);
    }
  }

  @Test
  @Order(7)
  void aMasterThatLostItsScriptCacheGetsTheScriptAgain() throws Exception {
    List<String> keys = directKeys("noscript");
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      assertThat(store.writeGuarded(records(keys, 1_000, 1, "a"), 60_000)).isEqualTo(30);
      // As after a restart or a failover to a replica (Redis 7 neither persists nor replicates scripts).
      int flushed = cluster.ports().get(1);
      try (Jedis j = new Jedis("127.0.0.1", flushed)) {
        j.scriptFlush();
      }
      long noscriptBefore = errorCount(flushed, "NOSCRIPT");
      // Every key is newer: all 30 are written and counted once, whichever master had to reload.
      assertThat(store.writeGuarded(records(keys, 2_000, 1, "b"), 60_000)).isEqualTo(30);
      assertThat(errorCount(flushed, "NOSCRIPT")).as("the flushed master answered NOSCRIPT").isGreaterThan(noscriptBefore);
      assertThat(store.readAll(keys)).allSatisfy(h -> assertThat(h).containsEntry("f", "b"));
      // The retraction script was flushed too: that master answers NOSCRIPT for it and gets it.
      long beforeRetract = errorCount(flushed, "NOSCRIPT");
      List<OnlineRetraction> retractions = new ArrayList<>();
      for (String k : keys) {
        retractions.add(new OnlineRetraction(k, 3_000, 1, new OnlineRecord(k, 2_500, 2, List.of("f", "c"))));
      }
      assertThat(store.retract(retractions, 60_000)).isEqualTo(new OnlineRetraction.Outcome(30, 0));
      assertThat(errorCount(flushed, "NOSCRIPT")).isGreaterThan(beforeRetract);
      assertThat(store.readAll(keys)).allSatisfy(h -> assertThat(h).containsEntry("f", "c"));
      store.deleteMatching(OnlineKeys.viewPattern("fl", "noscript"));
    }

    // A real restart: the master comes back empty (no persistence) and without scripts; a full sync refills it.
    RedisProcess restarted = cluster.node(2);
    restarted.kill();
    restarted.startProcess();
    cluster.awaitOk();
    VerifyResult lost = verify.verify(USERS, null);
    assertThat(lost.missing()).isEqualTo(keysPerMasterAfterFullSync(restarted.port()));
    SyncResult refill = sync.sync(USERS, true, "tester", line -> { });
    assertThat(refill.keysApplied()).isEqualTo(lost.missing());
    assertClean(USERS);
  }

  private long keysPerMasterAfterFullSync(int port) {
    long n = 0;
    for (long e = 0; e < 3000; e++) {
      if (nodeOf(key(USERS, e)) == port) {
        n++;
      }
    }
    return n;
  }

  @Test
  @Order(8)
  void aMasterDyingUnderAStoreFailsWithAClearMessage() {
    List<String> keys = directKeys("dying");
    RedisProcess victim = cluster.node(0);
    try (OnlineStore store = JedisOnlineStore.open(sync.settings())) {
      assertThat(store.writeGuarded(records(keys, 1_000, 1, "a"), 60_000)).isEqualTo(30);
      victim.kill();
      assertThatThrownBy(() -> store.writeGuarded(records(keys, 2_000, 1, "b"), 60_000))
          .isInstanceOf(OnlineStoreException.class)
          .hasMessageStartingWith("Redis at cluster " + String.join(",", cluster.seeds()) + " is unreachable (write failed "
              + "on node 127.0.0.1:" + victim.port() + ": ");
    }
    long cursor = sync.syncs().cursor(USERS).orElseThrow().snapshotId();
    assertThatThrownBy(() -> sync.sync(USERS, true, "tester", line -> { }))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.EXTERNAL_FAILURE))
        .hasMessageContaining(" of cl_users failed: Redis at cluster " + String.join(",", cluster.seeds()) + " is unreachable")
        .hasMessageContaining("; the cursor stays at snapshot " + cursor + " ");
    victim.startProcess();
    cluster.awaitOk();
    sync.sync(USERS, true, "tester", line -> { });
    assertClean(USERS);
  }

  @Test
  @Order(9)
  void syncRateOnTheClusterNextToAStandaloneRedis() throws Exception {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.features");
    spark.sql("CREATE TABLE lake.features." + RATE + " (entity_id BIGINT, event_date DATE, clicks BIGINT, spend DOUBLE, "
        + "segment STRING) USING iceberg PARTITIONED BY (days(event_date)) TBLPROPERTIES ('format-version'='2')");
    spark.sql("INSERT INTO lake.features." + RATE + " SELECT id, DATE '2023-01-01', id % 1000, id / 7.0, concat('s', id % 17) "
        + "FROM range(0, " + RATE_ENTITIES + ")");
    try (RedisProcess standalone = RedisProcess.start(home)) {
      SyncService single = new SyncService(spark, Platform.current(),
          sync.settings().withEndpoint("127.0.0.1", standalone.port(), 0).withClusterNodes(List.of()));
      List<String> lines = new ArrayList<>();
      for (int run = 1; run <= 2; run++) {
        for (SyncService target : List.of(single, sync)) {
          try (OnlineStore store = JedisOnlineStore.open(target.settings())) {
            store.deleteMatching(OnlineKeys.viewPattern("fl", RATE));
          }
          SyncResult r = target.sync(RATE, true, "tester", line -> { });
          assertThat(r.keysApplied()).isEqualTo(RATE_ENTITIES);
          lines.add(String.format(Locale.ROOT, "| %d | %s | %,d | %.2f | %,.0f |", run,
              target.settings().cluster() ? "cluster, 3 masters" : "standalone", r.keysWritten(), r.seconds(),
              r.keysPerSecond()));
        }
      }
      System.out.printf(Locale.ROOT, "%nFull guarded sync of %,d entities, batch-size %d, pipeline-depth %d, Spark local[2]%n"
          + "| run | Redis | keys | seconds | keys/s |%n|---:|---|---:|---:|---:|%n%s%n", RATE_ENTITIES, sync.settings().batchSize(),
          sync.settings().pipelineDepth(), String.join("\n", lines));
    }
    assertClean(RATE);
  }
}
