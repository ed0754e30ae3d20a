package io.featurelake.gateway.runs;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.StatusPolling;
import io.featurelake.gateway.testing.RedisProcess;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import io.featurelake.sqlcatalog.online.OnlineSync;
import io.featurelake.sqlcatalog.online.SyncCursor;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * {@code sync_online} and {@code run_maintenance} with {@code wait => false}, through the DBeaver
 * driver (hive-jdbc standalone in its own class loader): the call returns its PENDING job at once,
 * {@code job_status} follows it to SUCCEEDED, {@code cancel_job} stops a running sync (its Spark
 * jobs cancelled) with the cursor untouched, a queued job says so and is taken out of the queue,
 * a call beyond the pool (shared with backfill runs: one worker, one queue place here) and other
 * bad requests are one-line errors that record nothing. The sync is held in the middle of its
 * write by pausing the test's own Redis for writes ({@code CLIENT PAUSE WRITE}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncJobsIT {

  private static final String VIEW = "user_activity_daily";
  private static final String SLOW = TestFeatures.SLOW_VIEW;

  private RedisProcess redis;
  private GatewayServer gateway;
  private PlatformCore core;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-async-jobs-it-");
    Path features = home.resolve("features");
    TestFeatures.copyRelaxed(features, VIEW);
    TestFeatures.writeSlowView(features);
    redis = RedisProcess.start(home);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0");
    // A write paused by the test must wait, not time out.
    env.put("FEATURELAKE_REDIS_TIMEOUT_MS", "120000");
    env.put("FEATURELAKE_RUNS_WORKERS", "1");
    env.put("FEATURELAKE_RUNS_QUEUE", "1");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    new EventGenerator().generate(gateway.spark(), LocalDate.of(2022, 12, 25), LocalDate.of(2023, 1, 10),
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).seed(5).build());
    core = PlatformCore.open(TestConfigs.load(home, port, env));
    try (Connection c = jdbc()) {
      query(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => '2023-01-01', "
          + "end_date => '2023-01-04')");
    }
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

  private static Map<String, Object> status(Connection c, long jobId) throws SQLException {
    return query(c, "CALL lake.platform.job_status(job_id => " + jobId + ")").get(0);
  }

  /** Polls job_status until {@code done} holds; returns every status seen. */
  private static List<Map<String, Object>> awaitStatus(Connection c, long jobId, Predicate<Map<String, Object>> done,
      long timeoutSeconds) throws Exception {
    return StatusPolling.await(c, "CALL lake.platform.job_status(job_id => " + jobId + ")", done, timeoutSeconds);
  }

  private static String queuedMessage(long jobId, int ahead) {
    return "job " + jobId + " PENDING (queued: waiting for a free worker (" + ahead + " ahead, 1 workers)); follow it with "
        + "CALL lake.platform.job_status(job_id => " + jobId + "), stop it with CALL lake.platform.cancel_job(job_id => "
        + jobId + ")";
  }

  private long jobsRecorded() {
    return core.jobs().list(null, PageRequest.first(1)).total();
  }

  @Test
  void syncWaitFalseReturnsItsJobAtOnceAndJobStatusFollowsItToTheEnd() throws Exception {
    try (Connection c = jdbc()) {
      long t0 = System.nanoTime();
      Map<String, Object> row = query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "', wait => false)").get(0);
      System.out.println("sync_online(wait => false) answered in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      long jobId = (Long) row.get("job_id");
      assertThat(row).containsEntry("feature_view", VIEW).containsEntry("sync_id", null).containsEntry("keys_written", null)
          .containsEntry("message", queuedMessage(jobId, 0));

      List<Map<String, Object>> seen = awaitStatus(c, jobId, s -> !"PENDING".equals(s.get("state"))
          && !"RUNNING".equals(s.get("state")), 180);
      Map<String, Object> last = seen.get(seen.size() - 1);
      assertThat(last).containsEntry("state", "SUCCEEDED").containsEntry("kind", "sync_online")
          .containsEntry("target", VIEW).containsEntry("running_here", false).containsEntry("queued_ahead", null)
          .containsEntry("started_by", "tester").containsEntry("step", "done")
          .containsEntry("arguments", "feature_view => '" + VIEW + "', full => false");
      long syncId = Long.parseLong(((String) last.get("result")).replace("sync ", ""));
      OnlineSync sync = core.syncs().sync(syncId);
      assertThat(sync.status()).isEqualTo(OnlineSync.SUCCEEDED);
      assertThat(last.get("message")).isEqualTo(sync.message());
      SyncCursor cursor = core.syncs().cursors().stream().filter(x -> x.featureView().equals(VIEW)).findFirst().orElseThrow();
      assertThat(cursor.syncId()).isEqualTo(syncId);

      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_job(job_id => " + jobId + ")"))
          .hasMessage("[INVALID_STATE] Cannot cancel job " + jobId + ": it already ended SUCCEEDED (" + sync.message() + ")");
    }
  }

  @Test
  void maintenanceWaitFalseRunsAsAJobAndNamesItsReports() throws Exception {
    try (Connection c = jdbc()) {
      Map<String, Object> row = query(c, "CALL lake.platform.run_maintenance(table => '" + VIEW + "', dry_run => true, "
          + "wait => false)").get(0);
      long jobId = (Long) row.get("job_id");
      assertThat(row).containsEntry("table_name", VIEW).containsEntry("dry_run", true).containsEntry("report_id", null)
          .containsEntry("message", queuedMessage(jobId, 0));
      List<Map<String, Object>> seen = awaitStatus(c, jobId, s -> "SUCCEEDED".equals(s.get("state")), 180);
      Map<String, Object> last = seen.get(seen.size() - 1);
      assertThat(last).containsEntry("kind", "run_maintenance").containsEntry("message",
          "1 table(s) maintained (dry run: nothing changed); see maintenance_reports");
      long reportId = Long.parseLong(((String) last.get("result")).replace("reports ", ""));
      MaintenanceReport report = core.maintenance().reports(VIEW, PageRequest.first(1)).items().get(0);
      assertThat(report.reportId()).isEqualTo(reportId);
      assertThat(report.dryRun()).isTrue();
      assertThat(report.message()).startsWith("dry run: nothing changed; would compact ");
    }
  }

  @Test
  void cancelJobStopsARunningSyncsSparkJobsAndLeavesTheCursor() throws Exception {
    try (Connection c = jdbc(); Jedis admin = new Jedis("127.0.0.1", redis.port())) {
      query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "')");
      SyncCursor before = cursorOf(VIEW);

      admin.clientPause(120_000, ClientPauseMode.WRITE);
      CompletableFuture<Void> unpause = new CompletableFuture<>();
      try {
        long jobId = (Long) query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "', full => true, "
            + "wait => false)").get(0).get("job_id");
        // Its executors wait on the paused Redis: the heartbeat shows the running stage.
        awaitStatus(c, jobId, s -> "RUNNING".equals(s.get("state")) && String.valueOf(s.get("step")).contains("; stage "), 120);
        assertThat(gateway.spark().sparkContext().statusTracker().getJobIdsForGroup(JobExecutor.jobGroupOf(jobId)))
            .isNotEmpty();

        CompletableFuture.runAsync(() -> {
          try {
            Thread.sleep(2000);
            try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
              j.clientUnpause();
            }
            unpause.complete(null);
          } catch (Exception e) {
            unpause.completeExceptionally(e);
          }
        });
        long t0 = System.nanoTime();
        Map<String, Object> cancelled = query(c, "CALL lake.platform.cancel_job(job_id => " + jobId + ")").get(0);
        System.out.println("cancel_job answered in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(cancelled).containsEntry("job_id", jobId).containsEntry("state", "FAILED")
            .containsEntry("running_here", false).containsEntry("result", null);
        assertThat((String) cancelled.get("message")).startsWith("cancelled by tester; ")
            .contains("the cursor stays at snapshot " + before.snapshotId());
        assertThat(activeJobs(JobExecutor.jobGroupOf(jobId))).isEmpty();
      } finally {
        unpause.get(30, TimeUnit.SECONDS);
      }
      SyncCursor after = cursorOf(VIEW);
      assertThat(after.snapshotId()).isEqualTo(before.snapshotId());
      assertThat(after.syncId()).isEqualTo(before.syncId());
      OnlineSync last = core.syncs().syncs(VIEW, PageRequest.first(1)).items().get(0);
      assertThat(last.status()).isEqualTo(OnlineSync.FAILED);
      assertThat(last.message()).contains("the cursor stays at snapshot " + before.snapshotId());
    }
  }

  private SyncCursor cursorOf(String view) {
    return core.syncs().cursors().stream().filter(x -> x.featureView().equals(view)).findFirst().orElseThrow();
  }

  private List<Integer> activeJobs(String group) {
    var tracker = gateway.spark().sparkContext().statusTracker();
    List<Integer> active = new ArrayList<>();
    for (int id : tracker.getActiveJobIds()) {
      active.add(id);
    }
    List<Integer> ofGroup = new ArrayList<>();
    for (int id : tracker.getJobIdsForGroup(group)) {
      if (active.contains(id)) {
        ofGroup.add(id);
      }
    }
    return ofGroup;
  }

  @Test
  void aQueuedJobSaysSoAndACallBeyondThePoolIsRefused() throws Exception {
    try (Connection c = jdbc()) {
      // The one worker computes a slow backfill; the sync waits in the one queue place.
      long runId = (Long) query(c, "CALL lake.platform.start_backfill(feature_view => '" + SLOW + "', start_date => "
          + "'2023-01-02', end_date => '2023-01-03', wait => false)").get(0).get("run_id");
      long jobId = (Long) query(c, "CALL lake.platform.sync_online(feature_view => '" + VIEW + "', wait => false)")
          .get(0).get("job_id");
      Map<String, Object> queued = status(c, jobId);
      assertThat(queued).containsEntry("state", "PENDING").containsEntry("queued_ahead", 0)
          .containsEntry("running_here", true)
          .containsEntry("step", "queued: waiting for a free worker (0 ahead, 1 workers)");

      long jobsBefore = jobsRecorded();
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(wait => false)"))
          .hasMessage("[INVALID_STATE] Cannot start run_maintenance of all now: this gateway already has 2 calls started "
              + "with wait => false (1 working, up to 1 queued; featurelake.runs.workers=1, featurelake.runs.queue=1); "
              + "retry when one ends");
      assertThat(jobsRecorded()).isEqualTo(jobsBefore);

      Map<String, Object> cancelled = query(c, "CALL lake.platform.cancel_job(job_id => " + jobId + ")").get(0);
      assertThat(cancelled).containsEntry("state", "FAILED").containsEntry("running_here", false)
          .containsEntry("message", "cancelled by tester; it never started");
      assertThat(query(c, "CALL lake.platform.cancel_run(run_id => " + runId + ")").get(0)).containsEntry("state", "DROPPED");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_job(job_id => " + jobId + ")"))
          .hasMessage("[INVALID_STATE] Cannot cancel job " + jobId + ": it already ended FAILED (cancelled by tester; "
              + "it never started)");
    }
  }

  @Test
  void badRequestsAreOneLineErrorsThatRecordNothing() throws Exception {
    try (Connection c = jdbc()) {
      long jobsBefore = jobsRecorded();
      assertThatThrownBy(() -> status(c, 987_654)).hasMessage("[NOT_FOUND] Unknown job 987654");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_job(job_id => 987654)"))
          .hasMessage("[NOT_FOUND] Unknown job 987654");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.sync_online(feature_view => 'nope', wait => false)"))
          .hasMessageStartingWith("[NOT_FOUND] Unknown feature view 'nope'");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(table => 'lake.demo.missing', wait => false)"))
          .hasMessage("[NOT_FOUND] Unknown table lake.demo.missing: expected a table of the lake catalog (e.g. "
              + "item_popularity_daily, lake.features.item_popularity_daily, lake.raw.events) or 'all'");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_maintenance(older_than_days => -1, wait => false)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_maintenance: older_than_days must be 0 or more, got -1");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.job_status(job_id => 'x')"))
          .hasMessageStartingWith("[INVALID_PROCEDURE_ARGUMENT] lake.platform.job_status: argument 'job_id' must be BIGINT");
      assertThat(jobsRecorded()).isEqualTo(jobsBefore);
    }
  }
}
