package io.featurelake.gateway.runs;

import static io.featurelake.gateway.testing.JdbcRows.properties;
import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.server.GatewayMain;
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.StatusPolling;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * A gateway (its own JVM, {@code run_gateway.sh}'s main) stopped by SIGTERM while an asynchronous
 * backfill computes and an asynchronous sync writes: afterwards a new gateway on the same lake
 * resolves both by the abandonment rules (the owner process is gone), and nothing was published
 * half-way: the view's main and the sync cursor are where they were, no audit branch is left.
 * Both gateways are child JVMs started as {@code run_gateway.sh} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayStoppedIT {

  private static final Pattern READY = Pattern.compile("featurelake gateway ready in ([0-9.]+) s: (jdbc:hive2://\\S+)");
  private static final String VIEW = "user_activity_daily";
  private static final String SLOW = TestFeatures.SLOW_VIEW;

  private Process child;
  private RedisProcess redis;

  @AfterAll
  void stop() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void runsAndJobsInFlightWhenTheGatewayStopsAreResolvedAfterwardsAndNothingIsHalfPublished() throws Exception {
    Path home = Files.createTempDirectory("featurelake-stopped-it-");
    Path features = home.resolve("features");
    TestFeatures.copyRelaxed(features, VIEW);
    TestFeatures.writeSlowView(features);
    redis = RedisProcess.start(home);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
    env.put("FEATURELAKE_REDIS_TIMEOUT_MS", "120000");
    env.put("FEATURELAKE_RUNS_WORKERS", "2");

    String url = startChild(env, home);
    long runId;
    long jobId;
    String mainBefore;
    long cursorBefore;
    try (Connection c = HiveJdbc.connect(url); Jedis admin = new Jedis("127.0.0.1", redis.port())) {
      query(c, "CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023-01-05', "
          + "events_per_day => 1000, users => 200, items => 50)");
      query(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => '2023-01-01', "
          + "end_date => '2023-01-04')");
      cursorBefore = (Long) query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "')").get(0)
          .get("to_snapshot_id");

      // The sync first: its tasks take both cores and wait on the paused Redis, mid-write.
      admin.clientPause(600_000, ClientPauseMode.WRITE);
      jobId = (Long) query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "', full => true, wait => false)")
          .get(0).get("job_id");
      await(c, "CALL lake.platform.job_status(job_id => " + jobId + ")",
          s -> "RUNNING".equals(s.get("state")) && String.valueOf(s.get("step")).contains("; stage "));
      // Then a backfill: its branch is cut and it computes (its Spark job waits for a core).
      runId = (Long) query(c, "CALL lake.platform.start_backfill(feature_view => '" + SLOW + "', start_date => "
          + "'2023-01-02', end_date => '2023-01-03', wait => false)").get(0).get("run_id");
      await(c, "CALL lake.platform.run_status(run_id => " + runId + ")", s -> "COMPUTING".equals(s.get("state")));
      mainBefore = properties(c, "CALL lake.platform.describe_table(table => 'features." + SLOW + "')")
          .get("current_snapshot_id");
      assertThat(properties(c, "CALL lake.platform.describe_table(table => 'features." + SLOW + "')").get("branches"))
          .contains("audit_" + runId);
    }

    long pid = child.pid();
    child.toHandle().destroy(); // SIGTERM, as Ctrl-C or a service manager stops run_gateway.sh
    // Once Spark has stopped (the sync's job failed with it), let the executors' blocked writes
    // return, so that nothing waits on them while the JVM exits.
    boolean exited = child.waitFor(20, TimeUnit.SECONDS);
    try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
      admin.clientUnpause();
    }
    assertThat(exited || child.waitFor(160, TimeUnit.SECONDS)).isTrue();
    System.out.println("gateway pid " + pid + " stopped with run " + runId + " and job " + jobId + " in flight");

    // A new gateway JVM on the same lake (in this JVM, a server started after the driver has
    // connected once would find the driver's SASL provider registered under its name).
    String restartedUrl = startChild(env, home);
    try (Connection c = HiveJdbc.connect(restartedUrl)) {
      Map<String, Object> job = query(c, "CALL lake.platform.job_status(job_id => " + jobId + ")").get(0);
      System.out.println("job after the stop: " + job.get("state") + ": " + job.get("message"));
      assertThat(job).containsEntry("state", "FAILED").containsEntry("running_here", false);

      query(c, "CALL lake.platform.cleanup_runs()");
      Map<String, Object> run = query(c, "CALL lake.platform.run_status(run_id => " + runId + ")").get(0);
      System.out.println("run after the stop and cleanup_runs: " + run.get("state") + ": " + run.get("message"));
      assertThat(run).containsEntry("state", "DROPPED");

      Map<String, String> slow = properties(c, "CALL lake.platform.describe_table(table => 'features." + SLOW + "')");
      assertThat(slow.get("current_snapshot_id")).isEqualTo(mainBefore);
      assertThat(slow.get("branches")).doesNotContain("audit_" + runId);

      List<Map<String, Object>> status = query(c, "CALL lake.platform.online_status(feature_view => '" + VIEW + "')");
      System.out.println("online_status after the stop: " + status.get(0));
      assertThat(status.get(0)).containsEntry("cursor_snapshot_id", cursorBefore);
      assertThat(String.valueOf(status.get(0).get("last_sync_status"))).isEqualTo("FAILED");
    }
  }

  /** Starts {@code GatewayMain} in a child JVM and returns its JDBC URL once it printed it. */
  private String startChild(Map<String, String> env, Path home) throws Exception {
    child = ChildJvm.start(GatewayMain.class, env, home);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    }, "stopped-it-gateway-output");
    pump.setDaemon(true);
    pump.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.append(line).append('\n');
        Matcher m = READY.matcher(line);
        if (m.find()) {
          return m.group(2);
        }
      }
      if (!child.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("the gateway did not start:\n" + seen);
  }

  private static void await(Connection c, String call, Predicate<Map<String, Object>> done) throws Exception {
    StatusPolling.await(c, call, done, 180);
  }
}
