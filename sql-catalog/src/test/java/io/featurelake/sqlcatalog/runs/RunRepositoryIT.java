package io.featurelake.sqlcatalog.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.audit.AlertRepository;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.testing.CatalogDatabases;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunRepositoryIT {

  @TempDir static Path dir;
  private PostgresTestDatabase pg;
  private CatalogDatabase h2;
  private CatalogDatabase postgres;

  @BeforeAll
  void openDatabases() throws Exception {
    h2 = CatalogDatabases.embedded(dir);
    pg = PostgresTestDatabase.create("fl_runs_it");
    postgres = CatalogDatabases.migrated(pg);
  }

  @AfterAll
  void dropPostgres() throws Exception {
    pg.close();
  }

  List<CatalogDatabase> databases() {
    return List.of(h2, postgres);
  }

  private static NewRun newRun(String view) {
    return new NewRun(view, "lake.features." + view, LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 3),
        "a".repeat(64), "0123abcd", true, Map.of("lake.raw.events", 77L), true, "alice", "procedure", "host-1", 4242L);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void runWalksItsLifecycleAndRecordsEveryStep(CatalogDatabase db) {
    RunRepository runs = new RunRepository(db);
    BackfillRun run = runs.create(newRun("user_activity_daily"));

    assertThat(run.state()).isEqualTo(RunState.PENDING);
    assertThat(run.branch()).isEqualTo("audit_" + run.runId());
    assertThat(run.sourceSnapshots()).containsEntry("lake.raw.events", 77L);
    assertThat(run.window()).isEqualTo("[2023-01-01,2023-01-03)");

    runs.transition(run.runId(), RunState.COMPUTING, RunUpdate.none().baseSnapshotId(10L), "branch cut");
    runs.heartbeat(run.runId(), "stage 3/5");
    runs.transition(run.runId(), RunState.AUDITING, RunUpdate.none().writtenSnapshotId(11L).rowCount(500L), "written");
    runs.transition(run.runId(), RunState.PASSED, RunUpdate.none().auditedSnapshotId(11L).reportId(3L), "audit passed");
    BackfillRun published = runs.transition(run.runId(), RunState.PUBLISHED,
        RunUpdate.none().publishedSnapshotId(11L).publishedNow(), "fast-forwarded");

    assertThat(published.state()).isEqualTo(RunState.PUBLISHED);
    assertThat(published.baseSnapshotId()).isEqualTo(10L);
    assertThat(published.rowCount()).isEqualTo(500L);
    assertThat(published.publishedSnapshotId()).isEqualTo(11L);
    assertThat(published.publishedAt()).isNotNull();
    assertThat(runs.events(run.runId())).extracting(RunEvent::toState).containsExactly(
        RunState.PENDING, RunState.COMPUTING, RunState.COMPUTING, RunState.AUDITING, RunState.PASSED, RunState.PUBLISHED);
    assertThat(runs.list("user_activity_daily", 10)).extracting(BackfillRun::runId).contains(run.runId());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void illegalMovesAreRefusedWithTheStateNamed(CatalogDatabase db) {
    RunRepository runs = new RunRepository(db);
    long id = runs.create(newRun("v")).runId();

    assertThatThrownBy(() -> runs.transition(id, RunState.PUBLISHED, RunUpdate.none(), "skip the audit"))
        .isInstanceOf(IllegalRunTransitionException.class)
        .hasMessage("Run " + id + " is PENDING and cannot move to PUBLISHED; allowed next: [COMPUTING, FAILED]");
    assertThatThrownBy(() -> runs.transition(999_999L, RunState.COMPUTING, RunUpdate.none(), "x"))
        .isInstanceOf(RunNotFoundException.class).hasMessage("Unknown run 999999");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void onlyOneOfTwoRacingTransitionsWins(CatalogDatabase db) throws Exception {
    RunRepository runs = new RunRepository(db);
    long id = runs.create(newRun("race")).runId();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      futures.add(pool.submit(() -> {
        go.await();
        try {
          runs.transition(id, RunState.COMPUTING, RunUpdate.none(), "claim");
          wins.incrementAndGet();
        } catch (IllegalRunTransitionException lost) {
          // the other one moved it first
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(wins.get()).isEqualTo(1);
    assertThat(runs.events(id)).filteredOn(e -> e.toState() == RunState.COMPUTING).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void auditReportsAndAlertsRoundTrip(CatalogDatabase db) {
    long runId = new RunRepository(db).create(newRun("reported")).runId();
    AuditReportRepository reports = new AuditReportRepository(db);
    AuditReport saved = reports.save(new AuditReport(0, runId, "lake.features.reported", 123L, "same_window", 99L,
        LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 3), 1000L, 990L, false, 0, null, 1234L,
        List.of(new AuditCheck("row_count", null, 1000.0, 1.0, true, "1000 rows >= 1"),
            new AuditCheck("null_rate", "amount", 0.3, 0.05, false, "30.0% NULL > 5.0% allowed")),
        List.of(new AuditMetric("run", "amount", "mean", 12.5), new AuditMetric("baseline", "amount", "mean", Double.NaN)),
        null, null));

    AuditReport read = reports.find(saved.reportId()).orElseThrow();
    assertThat(read.passed()).isFalse();
    assertThat(read.failedChecks()).isEqualTo(1);
    assertThat(read.failures()).extracting(AuditCheck::column).containsExactly("amount");
    assertThat(read.metrics()).hasSize(2).anySatisfy(m -> assertThat(m.value()).isNull());
    assertThat(reports.reportIdsOfRun(runId)).containsExactly(saved.reportId());

    AlertRepository alerts = new AlertRepository(db);
    long alertId = alerts.record(runId, "AUDIT_FAILED", "run failed", "{}", "http://127.0.0.1:1/hook");
    alerts.webhookStatus(alertId, "HTTP 200");
    assertThat(alerts.ofRun(runId)).singleElement().satisfies(a -> assertThat(a.webhookStatus()).isEqualTo("HTTP 200"));

    reports.recordOverride(saved.reportId(), "alice", "holiday traffic");
    AuditReport overridden = reports.find(saved.reportId()).orElseThrow();
    assertThat(overridden.overrideBy()).isEqualTo("alice");
    assertThat(overridden.verdictLine()).isEqualTo("FAILED: 1 passed, 1 failed; OVERRIDDEN by alice: holiday traffic "
        + "(baseline: same window 2023-01-01..2023-01-02, 990 rows, main@99)");
    alerts.record(null, "reported", "team@example.com", "SYNC_FAILED", "sync failed", "{}", null);
    assertThat(alerts.recent("reported", "SYNC_FAILED", 10)).singleElement()
        .satisfies(a -> assertThat(a.owner()).isEqualTo("team@example.com"));
    assertThat(alerts.recent(null, null, 10)).extracting(AlertRepository.Alert::kind).containsExactly("SYNC_FAILED", "AUDIT_FAILED");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void publishLockSerializesWorkOnOneTable(CatalogDatabase db) throws Exception {
    PublishLock lock = new PublishLock(db);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      futures.add(pool.submit(() -> lock.withLock("lake.features.locked", () -> {
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        Thread.sleep(150);
        inside.decrementAndGet();
        return 1;
      })));
    }
    int done = 0;
    for (Future<Integer> f : futures) {
      done += f.get();
    }
    pool.shutdown();
    assertThat(done).isEqualTo(3);
    assertThat(maxInside.get()).isEqualTo(1);
  }
}
