package io.featurelake.gateway.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * Redis losing what the sync wrote, for real: FLUSHDB, a restart without persistence, single
 * keys gone, and a Redis killed in the middle of a sync. After each, an old window is
 * re-backfilled with changed data and an incremental sync (never {@code full}) must leave Redis
 * equal to main. Redis is a redis-server this test starts on a free port, without persistence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineHealIT {

  private static final String VIEW = "user_activity_daily";
  private static final String TABLE = "lake.features." + VIEW;

  private Path home;
  private RedisProcess redis;
  private GatewayServer gateway;
  private SparkSession spark;
  private BackfillService backfills;
  private SyncService sync;
  private VerifyService verify;
  private int reseed = 100;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-online-heal-it-");
    Path features = home.resolve("features");
    Files.createDirectories(features);
    Path real = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    Files.copy(real.resolve(VIEW + ".sql"), features.resolve(VIEW + ".sql"));
    // Old days get new raw data on purpose: their drift must not fail the audit.
    Files.writeString(features.resolve(VIEW + ".yaml"), Files.readString(real.resolve(VIEW + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 1000").replace("max_row_count_change: 0.5", "max_row_count_change: 1000"));
    redis = RedisProcess.start(home);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    spark = gateway.spark();
    backfills = new BackfillService(spark, Platform.current());
    sync = new SyncService(spark, Platform.current());
    verify = new VerifyService(spark, sync);
    new EventGenerator().generate(spark, LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 31),
        GeneratorOptions.builder().eventsPerDay(2000).users(20000).items(80).build());
    backfill("2023-01-01", "2023-01-31");
    SyncResult first = sync.sync(VIEW, false, "tester", line -> { });
    assertThat(first.mode()).isEqualTo(SyncService.FULL);
    assertClean(sync, verify);
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

  private void backfill(String start, String end) {
    BackfillRun run = backfills.start(BackfillRequest.of(VIEW, start, end, true, "test", "tester"), ProgressListener.NONE).run();
    assertThat(run.state()).isEqualTo(RunState.PUBLISHED);
  }

  /** New raw events for an old day (another seed), then its backfill: its users' rows change, newer days keep theirs. */
  private void rebackfillOldDay(String day) {
    LocalDate d = LocalDate.parse(day);
    new EventGenerator().generate(spark, d, d.plusDays(1),
        GeneratorOptions.builder().eventsPerDay(2000).users(20000).items(80).seed(reseed++).build());
    backfill(day, d.plusDays(1).toString());
  }

  private static void assertClean(SyncService s, VerifyService v) {
    VerifyResult r = v.verify(VIEW, null);
    assertThat(List.of(r.missing(), r.stale(), r.extra())).as("missing, stale, extra").containsOnly(0L);
    assertThat(r.matching()).isEqualTo(r.checked()).isPositive();
  }

  private Jedis jedis() {
    return new Jedis("127.0.0.1", redis.port());
  }

  private SyncResult incremental() {
    return sync.sync(VIEW, false, "tester", line -> { });
  }

  @Test
  void afterFlushdbAnOldWindowRebackfillAndAnIncrementalSyncLeaveRedisEqualToMain() {
    incremental();
    try (Jedis j = jedis()) {
      j.flushDB();
    }
    rebackfillOldDay("2023-01-05");
    SyncResult r = incremental();
    assertThat(r.mode()).isEqualTo(SyncService.FULL_FALLBACK);
    assertThat(r.message()).isEqualTo("Redis has lost the view's data (marker key fl:" + VIEW + ":_synced is missing: "
        + "Redis was emptied, restarted without persistence or failed over): fell back to a full guarded sync");
    assertClean(sync, verify);
    assertThat(incremental().mode()).isEqualTo(SyncService.INCREMENTAL);
  }

  @Test
  void afterARestartWithoutPersistenceAnOldWindowRebackfillAndAnIncrementalSyncLeaveRedisEqualToMain() {
    incremental();
    redis.kill();
    redis.startProcess();
    rebackfillOldDay("2023-01-08");
    SyncResult r = incremental();
    assertThat(r.mode()).isEqualTo(SyncService.FULL_FALLBACK);
    assertThat(r.message()).startsWith("Redis has lost the view's data (marker key ");
    assertClean(sync, verify);
  }

  @Test
  void keysRedisLostGetMainsLatestRowNotTheOldRowTheRangeInserted() {
    incremental();
    rebackfillOldDay("2023-01-11");
    // Users of that day that also have a newer row on main: evicted from Redis before the sync.
    List<Row> users = spark.sql("SELECT DISTINCT a.user_id FROM " + TABLE + " a JOIN " + TABLE + " b ON a.user_id = b.user_id "
        + "WHERE a.event_date = DATE '2023-01-11' AND b.event_date > DATE '2023-01-20' ORDER BY a.user_id LIMIT 25").collectAsList();
    assertThat(users).hasSize(25);
    try (Jedis j = jedis()) {
      for (Row u : users) {
        assertThat(j.del(OnlineKeys.key("fl", VIEW, List.of(u.getLong(0))))).isEqualTo(1);
      }
    }
    SyncResult r = incremental();
    assertThat(r.mode()).isEqualTo(SyncService.INCREMENTAL);
    assertClean(sync, verify);
  }

  @Test
  void redisKilledAfterSomeBatchesReportsWhatRedisHoldsKeepsTheCursorAndARerunConverges() throws Exception {
    // A Redis of its own that persists every acknowledged write (so DBSIZE after the restart is what it acknowledged).
    try (RedisProcess durable = RedisProcess.start(Files.createTempDirectory(home, "durable-"), "--appendonly", "yes",
        "--appendfsync", "always")) {
      RedisSettings settings = new RedisSettings("127.0.0.1", durable.port(), 0, false, null, null, List.of(), 30_000, "fl",
          20, 1);
      SyncService slow = new SyncService(spark, Platform.current(), settings);
      VerifyService slowVerify = new VerifyService(spark, slow);
      long cursor = incremental().toSnapshotId();
      assertThat(sync.syncs().cursor(VIEW).orElseThrow().snapshotId()).isEqualTo(cursor);
      CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
        try (Jedis j = new Jedis("127.0.0.1", durable.port())) {
          while (j.dbSize() < 1000) {
            Thread.sleep(5);
          }
          // Stop processing writes, let the writers read every reply Redis sent, then kill it.
          j.clientPause(60_000, ClientPauseMode.WRITE);
          Thread.sleep(1500);
          durable.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      // The marker is missing in that Redis: the sync is a full one, big enough to be killed mid-way.
      assertThatThrownBy(() -> slow.sync(VIEW, false, "tester", line -> { }))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("; the cursor stays at snapshot " + cursor + " (keys acknowledged before the failure: ");
      killer.get(60, TimeUnit.SECONDS);
      String message = slow.syncs().last(VIEW).orElseThrow().message();
      Matcher m = Pattern.compile("keys acknowledged before the failure: (\\d+)\\)").matcher(message);
      assertThat(m.find()).as(message).isTrue();
      long reported = Long.parseLong(m.group(1));
      durable.startProcess();
      try (Jedis j = new Jedis("127.0.0.1", durable.port())) {
        assertThat(reported).isGreaterThanOrEqualTo(1000).isEqualTo(j.dbSize());
      }
      assertThat(sync.syncs().cursor(VIEW).orElseThrow().snapshotId()).isEqualTo(cursor);

      SyncResult rerun = slow.sync(VIEW, false, "tester", line -> { });
      assertThat(rerun.mode()).isEqualTo(SyncService.FULL_FALLBACK);
      assertClean(slow, slowVerify);
    }
  }
}
