package io.featurelake.gateway.cluster;

import static io.featurelake.gateway.cluster.QuickStart.ITEMS;
import static io.featurelake.gateway.cluster.QuickStart.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.server.GatewayMain;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.LocalCluster;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
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
 * The quick start on a real Spark standalone cluster ({@code ./run_cluster.sh}: a master, two
 * workers, executors in their own JVMs that get the platform's jars only through
 * {@code spark.jars}) with PostgreSQL and a Redis Cluster, compared with the same quick start in
 * local mode: every table row by row, every audit verdict, every Redis hash. Then faults on the
 * cluster: a worker killed during a backfill, a Redis master stopped during a sync, the gateway
 * restarted under connected clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private Path home;
  private LocalCluster cluster;
  private PostgresTestDatabase localDb;
  private PostgresTestDatabase clusterDb;
  private QuickStart.Outcome local;
  private QuickStart.Outcome onCluster;
  private SparkSession spark;
  private final Faults faults = new Faults();
  /** Every gateway JVM a test started, stopped in {@link #stop()} even when the test failed half-way. */
  private final List<Process> gateways = new ArrayList<>();

  @BeforeAll
  void runTheQuickStartTwice() throws Exception {
    home = Files.createTempDirectory("featurelake-cluster-it-");
    cluster = LocalCluster.start(home.resolve("cluster"));
    localDb = PostgresTestDatabase.create("fl_cluster_it_local");
    clusterDb = PostgresTestDatabase.create("fl_cluster_it_cluster");

    long t0 = System.nanoTime();
    spark = session("local", "local[2]", localDb);
    local = QuickStart.run(spark, "local", cluster.redisPorts());
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    long t1 = System.nanoTime();
    spark = session("cluster", cluster.masterUrl(), clusterDb);
    assertThat(spark.sparkContext().master()).isEqualTo(cluster.masterUrl());
    spark.sparkContext().addSparkListener(faults);
    onCluster = QuickStart.run(spark, "cluster", cluster.redisPorts());
    System.out.printf(Locale.ROOT, "%nquick start: local[2] %.0f s, %s %.0f s%n", (t1 - t0) / 1e9, cluster.masterUrl(),
        (System.nanoTime() - t1) / 1e9);
  }

  /** The environment of one pass: its own home, catalog database and Redis key prefix; the shipped views. */
  private Map<String, String> environment(String name, String master, PostgresTestDatabase db) throws Exception {
    Path passHome = Files.createDirectories(home.resolve(name));
    Path conf = passHome.resolve("featurelake.properties");
    // One executor per worker, sized to the worker's 1g.
    Files.writeString(conf, "spark.executor.memory=640m\nspark.executor.cores=1\n");
    Map<String, String> env = new HashMap<>(TestConfigs.environment(passHome, TestPorts.free()));
    env.put("FEATURELAKE_CONFIG", conf.toString());
    env.put("FEATURELAKE_SPARK_MASTER", master);
    env.put("FEATURELAKE_CATALOG_DB_URL", db.url());
    env.put("FEATURELAKE_CATALOG_DB_USER", db.user());
    env.put("FEATURELAKE_CATALOG_DB_PASSWORD", db.password());
    env.put("FEATURELAKE_REDIS_CLUSTER_NODES", String.join(",", cluster.redisSeeds()));
    env.put("FEATURELAKE_ONLINE_KEY_PREFIX", name);
    env.put("FEATURELAKE_FEATURES_DIR", TestFeatures.shipped().toString());
    return env;
  }

  private SparkSession session(String name, String master, PostgresTestDatabase db) throws Exception {
    Map<String, String> env = environment(name, master, db);
    return LakeSessions.create(TestConfigs.load(home.resolve(name), TestPorts.free(), env));
  }

  @AfterAll
  void stop() throws Exception {
    for (Process p : gateways) {
      p.destroyForcibly();
      p.waitFor(1, TimeUnit.MINUTES);
    }
    if (spark != null) {
      spark.stop();
    }
    for (AutoCloseable c : new AutoCloseable[] {cluster, localDb, clusterDb}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  @Order(1)
  void theClusterComputesTheSameTablesRowByRow() {
    List<String> lines = new ArrayList<>();
    long rows = 0;
    long differences = 0;
    for (String table : local.tables().keySet()) {
      List<Row> a = local.tables().get(table);
      List<Row> b = onCluster.tables().get(table);
      long diff = Math.abs(a.size() - b.size());
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        if (!Objects.equals(a.get(i), b.get(i))) {
          if (diff < 3) {
            System.out.println("differs in " + table + ":\n  local   " + a.get(i) + "\n  cluster " + b.get(i));
          }
          diff++;
        }
      }
      rows += a.size();
      differences += diff;
      lines.add(String.format(Locale.ROOT, "| %s | %,d | %,d | %d |", table, a.size(), b.size(), diff));
    }
    System.out.printf(Locale.ROOT, "%nlocal[2] vs %s (2 workers), tables compared row by row%n"
        + "| table | rows local | rows cluster | differences |%n|---|---:|---:|---:|%n%s%n"
        + "tables: %d, rows compared: %,d, differences: %d%n", cluster.masterUrl(), String.join("\n", lines),
        lines.size(), rows, differences);
    assertThat(local.tables().get("lake.features." + USERS)).isNotEmpty();
    assertThat(local.tables().get("lake.training." + QuickStart.TRAINING_SET)).hasSize(300);
    assertThat(differences).isZero();
  }

  @Test
  @Order(2)
  void auditVerdictsReproductionsAndVerificationsAreTheSame() {
    System.out.printf("%naudit verdicts (local = cluster: %s)%n%s%n", local.audits().equals(onCluster.audits()),
        String.join("\n", onCluster.audits()));
    assertThat(onCluster.audits()).isEqualTo(local.audits());
    assertThat(onCluster.audits()).anyMatch(l -> l.contains(ITEMS + " [2023-01-01,2023-01-02) FAILED"))
        .anyMatch(l -> l.contains("FAILED psi(") && l.contains("passed=false"));
    assertThat(onCluster.reproductions()).isEqualTo(local.reproductions()).isNotEmpty()
        .allMatch(l -> l.startsWith("REPRODUCED "));
    assertThat(onCluster.verifications()).isEqualTo(local.verifications()).hasSize(2);
    assertThat(onCluster.maintained()).isEqualTo(local.maintained()).isNotEmpty();
    System.out.println("verify_online on the cluster: " + onCluster.verifications());
  }

  @Test
  @Order(3)
  void redisHoldsTheSameHashes() {
    Map<String, Map<String, String>> a = local.redis();
    Map<String, Map<String, String>> b = onCluster.redis();
    long differences = a.keySet().stream().filter(k -> !Objects.equals(a.get(k), b.get(k))).count()
        + b.keySet().stream().filter(k -> !a.containsKey(k)).count();
    System.out.printf(Locale.ROOT, "%nRedis Cluster hashes: local prefix %,d keys, cluster prefix %,d keys, differences: %d%n",
        a.size(), b.size(), differences);
    assertThat(a).isNotEmpty();
    assertThat(differences).isZero();
  }

  @Test
  @Order(4)
  void aWorkerKilledDuringABackfillLosesItsTasksToTheOtherAndTheRunPublishesOnce() throws Exception {
    spark.sql("CALL lake.platform.generate_events(start_date => '2023-01-08', end_date => '2023-01-15', " + QuickStart.EVENTS + ")")
        .collect();
    faults.killOnNextTask(this::killWorkerRunning);
    Row r = spark.sql("CALL lake.platform.start_backfill(feature_view => '" + ITEMS
        + "', start_date => '2023-01-08', end_date => '2023-01-15')").first();
    long runId = r.getAs("run_id");
    String killed = faults.killed.get();
    System.out.printf("%nworker killed during run %d: %s; executors removed: %d, tasks failed by the loss: %d; run %s%n",
        runId, killed, faults.executorsRemoved.get(), faults.lostTasks.get(), r.getAs("state"));
    assertThat(killed).as("a worker was killed while a task ran on it").isNotNull();
    assertThat(faults.executorsRemoved.get()).isPositive();
    assertThat(r.getAs("state").toString()).as("%s", r.getAs("message")).isEqualTo("PUBLISHED");
    assertThat(spark.sql("SELECT item_id, event_date FROM lake.features." + ITEMS + " GROUP BY 1, 2 HAVING count(*) > 1").count())
        .as("duplicate keys").isZero();
    // Published once: as many snapshots carry the run's id as for the undisturbed week (run 2), one tag.
    String snapshotsOf = "SELECT count(*) FROM lake.features." + ITEMS + ".snapshots WHERE summary['featurelake.run-id'] = '%d'";
    assertThat(spark.sql(String.format(snapshotsOf, runId)).first().getLong(0)).as("snapshots of run %d", runId)
        .isEqualTo(spark.sql(String.format(snapshotsOf, 2)).first().getLong(0));
    assertThat(spark.sql("SELECT count(*) FROM lake.features." + ITEMS + ".refs WHERE name = 'run_" + runId + "'").first().getLong(0))
        .isEqualTo(1);
    // Every (item, day) of the raw events once: nothing lost, nothing twice.
    long rows = spark.sql("SELECT count(*) FROM lake.features." + ITEMS + " WHERE event_date >= DATE '2023-01-08'").first().getLong(0);
    assertThat(rows).isEqualTo(spark.sql("SELECT count(DISTINCT item_id, to_date(event_ts)) FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '2023-01-08 00:00:00' AND event_ts < TIMESTAMP '2023-01-15 00:00:00'").first().getLong(0));
    System.out.printf("run %d: %,d rows for 7 days, each (item, day) of the input once%n", runId, rows);
    cluster.up(); // the worker comes back and the application gets an executor on it again
  }

  /** On the listener thread, at a task's start: kill -9 the worker of that task's executor, and the executor. */
  private String killWorkerRunning(String executorId) {
    try {
      for (String worker : List.of("worker-1", "worker-2")) {
        var executor = cluster.executorOf(worker, executorId);
        if (executor.isPresent()) {
          long workerPid = cluster.pid(worker).orElseThrow();
          ProcessHandle.of(workerPid).ifPresent(ProcessHandle::destroyForcibly);
          executor.get().destroyForcibly();
          return worker + " (pid " + workerPid + ") with executor " + executorId + " (pid " + executor.get().pid() + ")";
        }
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(5)
  void aRedisMasterStoppedDuringASyncFailsClearlyKeepsTheCursorAndTheNextSyncConverges() throws Exception {
    SyncService sync = new SyncService(spark, Platform.current());
    long cursor = sync.syncs().cursor(ITEMS).orElseThrow().snapshotId();
    int victim = cluster.redisPorts().get(1);
    long pid = cluster.pid("redis-" + victim).orElseThrow();
    // The master stops (SIGTERM, as a shutdown does) when the sync's first task starts.
    faults.killOnNextTask(executor -> {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      return "redis-" + victim + " (pid " + pid + ")";
    });
    String seeds = String.join(",", cluster.redisSeeds());
    assertThatThrownBy(() -> spark.sql("CALL lake.platform.sync_online(feature_view => '" + ITEMS + "')").collect())
        .satisfies(e -> System.out.printf("%nRedis master %s stopped during a sync: %s%n", faults.killed.get(), e.getMessage()))
        .isInstanceOf(PlatformException.class)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.EXTERNAL_FAILURE))
        .hasMessageStartingWith("Online sync ")
        .hasMessageContaining(" of " + ITEMS + " failed: Redis at cluster " + seeds + " is unreachable")
        .hasMessageContaining("the cursor stays at snapshot " + cursor + " ");
    assertThat(sync.syncs().cursor(ITEMS).orElseThrow().snapshotId()).isEqualTo(cursor);

    cluster.up(); // the master starts again with its append-only file
    Row next = spark.sql("CALL lake.platform.sync_online(feature_view => '" + ITEMS + "')").first();
    Row verify = spark.sql("CALL lake.platform.verify_online(feature_view => '" + ITEMS + "')").first();
    System.out.printf("next sync: %s from %s to %s, %s keys applied; verify: %s matching, %s missing, %s stale, %s extra%n",
        next.getAs("mode"), next.getAs("from_snapshot_id"), next.getAs("to_snapshot_id"), next.getAs("keys_applied"),
        verify.getAs("matching"), verify.getAs("missing"), verify.getAs("stale"), verify.getAs("extra"));
    assertThat(next.getAs("mode").toString()).isEqualTo("INCREMENTAL");
    assertThat((Long) next.getAs("from_snapshot_id")).isEqualTo(cursor);
    assertThat(List.of((Long) verify.getAs("missing"), (Long) verify.getAs("stale"), (Long) verify.getAs("extra"))).containsOnly(0L);
  }

  @Test
  @Order(6)
  void theGatewayRestartedUnderConnectedClientsGivesThemAnErrorAndLosesNothing() throws Exception {
    // The gateway is its own Spark application: this JVM's gives the cluster's cores back first.
    spark.stop();
    spark = null;
    Map<String, String> env = environment("cluster", cluster.masterUrl(), clusterDb);
    int port = TestPorts.free();
    env.put("FEATURELAKE_GATEWAY_PORT", String.valueOf(port));
    String url = "jdbc:hive2://127.0.0.1:" + port + "/";
    Process gateway = startGateway(env);
    Connection a = HiveJdbc.connect(url);
    Connection b = HiveJdbc.connect(url);
    List<String> before;
    try {
      Statement sa = a.createStatement();
      Statement sb = b.createStatement();
      sa.execute("CREATE NAMESPACE IF NOT EXISTS lake.demo");
      sa.execute("CREATE TABLE lake.demo.restart_probe (id BIGINT, name STRING) USING iceberg");
      sa.execute("INSERT INTO lake.demo.restart_probe VALUES (1, 'one'), (2, 'two')");
      before = rows(sb, "SELECT * FROM lake.demo.restart_probe ORDER BY id");
      assertThat(before).containsExactly("1 one", "2 two");

      gateway.destroy(); // SIGTERM: the gateway stops the way a restart does
      assertThat(gateway.waitFor(2, TimeUnit.MINUTES)).isTrue();
      // A statement that ran before, and a new one: both fail at once, the driver saying why.
      for (Statement s : List.of(sa, b.createStatement())) {
        SQLException lost = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
            () -> rows(s, "SELECT count(*) FROM lake.demo.restart_probe"));
        StringBuilder chain = new StringBuilder(lost.getMessage());
        for (Throwable c = lost.getCause(); c != null; c = c.getCause()) {
          chain.append(" <- ").append(c);
        }
        System.out.printf("%nclient of the stopped gateway: %s%n", chain);
        assertThat(lost.getMessage()).isNotBlank();
      }
    } finally {
      closeQuietly(a);
      closeQuietly(b);
    }
    gateway = startGateway(env);
    try (Connection again = HiveJdbc.connect(url); Statement s = again.createStatement()) {
      assertThat(rows(s, "SELECT * FROM lake.demo.restart_probe ORDER BY id")).isEqualTo(before);
      s.execute("INSERT INTO lake.demo.restart_probe VALUES (3, 'three')");
      assertThat(rows(s, "SELECT count(*) FROM lake.demo.restart_probe")).containsExactly("3");
      assertThat(rows(s, "SELECT count(*) FROM lake.features." + USERS)).containsExactly(
          String.valueOf(onCluster.tables().get("lake.features." + USERS).size()));
      System.out.println("after the restart: reconnected, the rows written before are there, new writes work");
    } finally {
      gateway.destroy();
      gateway.waitFor(2, TimeUnit.MINUTES);
    }
  }

  /** A connection to a gateway that has gone: closing it fails too, which is not what the test is about. */
  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException gone) {
      // its server is gone
    }
  }

  private Process startGateway(Map<String, String> env) throws Exception {
    Process p = ChildJvm.start(GatewayMain.class, env, home);
    gateways.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          seen.append(line).append('\n');
          if (line.contains("featurelake gateway ready")) {
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(ready.get(5, TimeUnit.MINUTES)).as("gateway output:\n%s", seen).isTrue();
    // Keep draining its output so it never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (Exception ignored) {
        // the gateway stopped
      }
    });
    drain.setDaemon(true);
    drain.start();
    return p;
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(rs.getString(i));
        }
        rows.add(String.join(" ", cells));
      }
    }
    return rows;
  }

  /** Watches executors and tasks; once armed, runs an action at the next task's start (on the listener thread). */
  static final class Faults extends SparkListener {
    final AtomicInteger executorsRemoved = new AtomicInteger();
    final AtomicInteger lostTasks = new AtomicInteger();
    final AtomicReference<String> killed = new AtomicReference<>();
    private final AtomicReference<java.util.function.Function<String, String>> armed = new AtomicReference<>();
    final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    void killOnNextTask(java.util.function.Function<String, String> action) {
      killed.set(null);
      executorsRemoved.set(0);
      lostTasks.set(0);
      armed.set(action);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
      var action = armed.getAndSet(null);
      if (action != null) {
        killed.set(action.apply(start.taskInfo().executorId()));
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.reason() instanceof ExecutorLostFailure) {
        lostTasks.incrementAndGet();
      }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
      executorsRemoved.incrementAndGet();
    }
  }
}
