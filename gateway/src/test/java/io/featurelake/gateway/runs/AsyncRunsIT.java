package io.featurelake.gateway.runs;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.StatusPolling;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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

/**
 * Asynchronous and cancellable runs through the DBeaver driver (hive-jdbc standalone, in its own
 * class loader): {@code wait => false} returns the PENDING run at once and it publishes on its
 * own; {@code cancel_run} and {@code Statement.cancel()} stop a run's Spark jobs and leave main
 * untouched; bad requests are one-line errors that change nothing. The gateway takes one
 * asynchronous run at a time and queues one more, so the pool limit is reached with three.
 * {@code slow_view} computes a few billion generated rows: long enough to be caught mid-write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncRunsIT {

  private static final String VIEW = "user_activity_daily";
  private static final String SLOW = TestFeatures.SLOW_VIEW;

  private GatewayServer gateway;
  private PlatformCore core;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-async-it-");
    Path features = home.resolve("features");
    TestFeatures.copyRelaxed(features, VIEW);
    TestFeatures.writeSlowView(features);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_RUNS_WORKERS", "1");
    env.put("FEATURELAKE_RUNS_QUEUE", "1");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    new EventGenerator().generate(gateway.spark(), LocalDate.of(2022, 12, 25), LocalDate.of(2023, 1, 10),
        GeneratorOptions.builder().eventsPerDay(2000).users(300).items(80).seed(5).build());
    core = PlatformCore.open(TestConfigs.load(home, port, env));
  }

  @AfterAll
  void stop() throws Exception {
    if (core != null) {
      core.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private Connection jdbc() throws Exception {
    return HiveJdbc.connect(gateway.jdbcUrl());
  }

  private static String start(String view, String from, String to, boolean wait) {
    return "CALL lake.platform.start_backfill(feature_view => '" + view + "', start_date => '" + from + "', end_date => '"
        + to + "', wait => " + wait + ")";
  }

  private static Map<String, Object> status(Connection c, long runId) throws SQLException {
    return query(c, "CALL lake.platform.run_status(run_id => " + runId + ")").get(0);
  }

  /** Polls run_status until {@code done} holds; returns every status seen. */
  private static List<Map<String, Object>> awaitStatus(Connection c, long runId, Predicate<Map<String, Object>> done,
      long timeoutSeconds) throws Exception {
    return StatusPolling.await(c, "CALL lake.platform.run_status(run_id => " + runId + ")", done, timeoutSeconds);
  }

  /** Waits until the slow run is writing: its Spark job is running. */
  private static void awaitWriting(Connection c, long runId) throws Exception {
    awaitStatus(c, runId, s -> "COMPUTING".equals(s.get("state")), 120);
    Thread.sleep(3000);
  }

  private Long mainOf(String view) {
    return core.tables().exists(LakeNames.featureTableName(view))
        ? core.tableHistory().describe(LakeNames.featureTableName(view)).currentSnapshotId() : null;
  }

  /** The run's state changes (events within one state, such as a schema change, are left out). */
  private List<String> states(long runId) {
    return core.runs().events(runId, PageRequest.first(100)).items().stream()
        .filter(e -> e.fromState() == null || e.fromState() != e.toState())
        .map(RunEvent::toState).map(Enum::name).toList();
  }

  @Test
  void waitFalseReturnsThePendingRunAtOnceAndItPublishesOnItsOwn() throws Exception {
    try (Connection c = jdbc()) {
      long t0 = System.nanoTime();
      query(c, "CALL lake.platform.list_runs(feature_view => '" + VIEW + "')");
      System.out.println("first CALL of the session (list_runs) answered in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      t0 = System.nanoTime();
      Map<String, Object> row = query(c, start(VIEW, "2023-01-01", "2023-01-08", false)).get(0);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("start_backfill(wait => false) answered in " + millis + " ms");
      long runId = (Long) row.get("run_id");
      assertThat(row).containsEntry("state", "PENDING").containsEntry("feature_view", VIEW);

      List<Map<String, Object>> seen = awaitStatus(c, runId, s -> "PUBLISHED".equals(s.get("state")), 300);
      Map<String, Object> last = seen.get(seen.size() - 1);
      assertThat(last).containsEntry("running_here", false).containsEntry("queued_ahead", null);
      assertThat((String) last.get("step")).startsWith("main fast-forwarded to ");
      assertThat((Long) last.get("elapsed_seconds")).isNotNegative();
      assertThat(states(runId)).containsExactly("PENDING", "COMPUTING", "AUDITING", "PASSED", "PUBLISHED");
      assertThat(mainOf(VIEW)).isEqualTo(core.runs().get(runId).publishedSnapshotId());

      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_run(run_id => " + runId + ")"))
          .hasMessage("[INVALID_STATE] Cannot cancel run " + runId + ": it already ended PUBLISHED");
    }
  }

  @Test
  void cancelRunStopsTheRunsSparkJobsAndLeavesMainUntouched() throws Exception {
    try (Connection c = jdbc()) {
      long runId = (Long) query(c, start(SLOW, "2023-01-02", "2023-01-03", false)).get(0).get("run_id");
      awaitWriting(c, runId);
      Long mainBefore = mainOf(SLOW);
      assertThat(gateway.spark().sparkContext().statusTracker().getJobIdsForGroup(RunExecutor.jobGroupOf(runId))).isNotEmpty();

      long t0 = System.nanoTime();
      Map<String, Object> cancelled = query(c, "CALL lake.platform.cancel_run(run_id => " + runId + ")").get(0);
      System.out.println("cancel_run answered in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertThat(cancelled).containsEntry("run_id", runId).containsEntry("state", "DROPPED")
          .containsEntry("message", "cancelled by tester");
      assertThat(states(runId)).containsExactly("PENDING", "COMPUTING", "FAILED", "DROPPED");
      assertThat(activeJobs(runId)).isEmpty();
      assertThat(mainOf(SLOW)).isEqualTo(mainBefore);
      assertThat(core.tableHistory().refs(LakeNames.featureTableName(SLOW))).extracting(r -> r.name())
          .doesNotContain(LakeNames.auditBranch(runId));
    }
  }

  private List<Integer> activeJobs(long runId) {
    var tracker = gateway.spark().sparkContext().statusTracker();
    List<Integer> active = new ArrayList<>();
    for (int id : tracker.getActiveJobIds()) {
      var info = tracker.getJobInfo(id);
      if (info.isDefined()) {
        active.add(id);
      }
    }
    List<Integer> ofRun = new ArrayList<>();
    for (int id : tracker.getJobIdsForGroup(RunExecutor.jobGroupOf(runId))) {
      if (active.contains(id)) {
        ofRun.add(id);
      }
    }
    return ofRun;
  }

  @Test
  void statementCancelOnAWaitingCallCancelsItsRun() throws Exception {
    try (Connection c = jdbc(); Statement waiting = c.createStatement(); Connection watcher = jdbc()) {
      Long mainBefore = mainOf(SLOW);
      CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
        try {
          waiting.execute(start(SLOW, "2023-01-04", "2023-01-05", true));
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      BackfillRun run = awaitRunOf(SLOW, "[2023-01-04,2023-01-05)");
      awaitWriting(watcher, run.runId());
      waiting.cancel();
      Throwable failure = call.get(60, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(SQLException.class);
      List<Map<String, Object>> end = awaitStatus(watcher, run.runId(), s -> "DROPPED".equals(s.get("state")), 60);
      assertThat(end.get(end.size() - 1)).containsEntry("message", "cancelled by tester (statement cancelled)");
      assertThat(states(run.runId())).containsExactly("PENDING", "COMPUTING", "FAILED", "DROPPED");
      assertThat(mainOf(SLOW)).isEqualTo(mainBefore);
    }
  }

  private BackfillRun awaitRunOf(String view, String window) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      for (BackfillRun r : core.runs().list(view, null, PageRequest.first(50)).items()) {
        if (r.window().equals(window)) {
          return r;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no run of " + view + " " + window);
  }

  @Test
  void badRequestsAreOneLineErrorsThatChangeNothing() throws Exception {
    try (Connection c = jdbc()) {
      assertThatThrownBy(() -> status(c, 987_654))
          .hasMessage("[NOT_FOUND] Unknown run 987654");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_run(run_id => 987654)"))
          .hasMessage("[NOT_FOUND] Unknown run 987654");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.list_runs(limit => 0)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.list_runs: limit must be between 1 and 10000, got 0");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.list_runs(offset => -5)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.list_runs: offset must be 0 or more, got -5");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.run_events(run_id => 1, limit => 10001)"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] lake.platform.run_events: limit must be between 1 and 10000, got 10001");

      // One works, one waits, the third is refused before anything is recorded.
      long t0 = System.nanoTime();
      long working = (Long) query(c, start(SLOW, "2023-01-06", "2023-01-07", false)).get(0).get("run_id");
      long t1 = System.nanoTime();
      long queued = (Long) query(c, start(SLOW, "2023-01-07", "2023-01-08", false)).get(0).get("run_id");
      System.out.println("start_backfill(wait => false) of " + SLOW + " answered in " + (t1 - t0) / 1_000_000 + " ms, then "
          + (System.nanoTime() - t1) / 1_000_000 + " ms");
      awaitWriting(c, working);
      Map<String, Object> waiting = status(c, queued);
      assertThat(waiting).containsEntry("state", "PENDING").containsEntry("queued_ahead", 0);
      assertThat((String) waiting.get("step")).startsWith("queued: waiting for a free worker");
      long runsBefore = core.runs().list(null, null, PageRequest.first(1)).total();
      assertThatThrownBy(() -> query(c, start(SLOW, "2023-01-08", "2023-01-09", false)))
          .hasMessage("[INVALID_STATE] Cannot start a backfill of slow_view now: this gateway already has 2 calls started "
              + "with wait => false (1 working, up to 1 queued; featurelake.runs.workers=1, featurelake.runs.queue=1); "
              + "retry when one ends");
      assertThat(core.runs().list(null, null, PageRequest.first(1)).total()).isEqualTo(runsBefore);

      Map<String, Object> dropped = query(c, "CALL lake.platform.cancel_run(run_id => " + queued + ")").get(0);
      assertThat(dropped).containsEntry("state", "DROPPED").containsEntry("message", "cancelled by tester");
      assertThat(states(queued)).containsExactly("PENDING", "FAILED", "DROPPED");
      assertThat(query(c, "CALL lake.platform.cancel_run(run_id => " + working + ")").get(0)).containsEntry("state", "DROPPED");
      assertThatThrownBy(() -> query(c, "CALL lake.platform.cancel_run(run_id => " + queued + ")"))
          .hasMessage("[INVALID_STATE] Cannot cancel run " + queued + ": it already ended DROPPED (cancelled by tester)");
    }
  }
}
