package io.featurelake.sqlcatalog.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.process.OwnerLiveness;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import io.featurelake.sqlcatalog.testing.CatalogDatabases;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Asynchronous jobs' lifecycle and abandonment, on the embedded H2 database and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobRepositoryIT {

  private static final ProcessOwner ME = new ProcessOwner("host-a", 1000);
  private static final ProcessOwner DEAD = new ProcessOwner("host-a", 111);
  private static final ProcessOwner ELSEWHERE = new ProcessOwner("host-b", 2000);
  private static final Duration SILENCE = Duration.ofMinutes(10);

  @TempDir static Path dir;
  private PostgresTestDatabase pg;
  private CatalogDatabase h2;
  private CatalogDatabase postgres;

  @BeforeAll
  void openDatabases() throws Exception {
    h2 = CatalogDatabases.embedded(dir);
    pg = PostgresTestDatabase.create("fl_jobs_it");
    postgres = CatalogDatabases.migrated(pg);
  }

  @AfterAll
  void dropPostgres() throws Exception {
    pg.close();
  }

  List<CatalogDatabase> databases() {
    return List.of(h2, postgres);
  }

  /** Pid 111 of host-a is gone; the clock is {@code minutesLater} after now. */
  private static JobQueries queries(JobRepository jobs, long minutesLater) {
    Clock clock = Clock.fixed(Instant.now().plus(Duration.ofMinutes(minutesLater)), ZoneOffset.UTC);
    return new JobQueries(jobs, new OwnerLiveness(ME, pid -> !Set.of(111L).contains(pid), SILENCE, clock));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aJobMovesPendingRunningSucceededOnceEach(CatalogDatabase db) throws Exception {
    JobRepository jobs = new JobRepository(db);
    PlatformJob job = jobs.create(JobKind.SYNC_ONLINE, "v", "feature_view => 'v', full => false", "queued", "alice", ME);
    assertThat(job.state()).isEqualTo(JobState.PENDING);
    assertThat(job.step()).isEqualTo("queued");
    assertThat(job.kind().label()).isEqualTo("sync_online");
    assertThat(job.ownerHost()).isEqualTo("host-a");
    assertThat(job.startedAt()).isNull();

    assertThat(jobs.start(job.jobId(), "started")).isTrue();
    assertThat(jobs.start(job.jobId(), "again")).as("only from PENDING").isFalse();
    Thread.sleep(20);
    assertThat(jobs.step(job.jobId(), "writing")).isTrue();
    PlatformJob running = jobs.find(job.jobId()).orElseThrow();
    assertThat(running.state()).isEqualTo(JobState.RUNNING);
    assertThat(running.step()).isEqualTo("writing");
    assertThat(running.heartbeatAt()).isAfter(job.heartbeatAt());

    assertThat(jobs.succeed(job.jobId(), "sync 12", "done")).isTrue();
    assertThat(jobs.fail(job.jobId(), List.of(JobState.PENDING, JobState.RUNNING), "late")).isFalse();
    assertThat(jobs.heartbeat(job.jobId())).isFalse();
    PlatformJob done = jobs.find(job.jobId()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.result()).isEqualTo("sync 12");
    assertThat(done.message()).isEqualTo("done");
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.elapsed().isNegative()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aJobCancelledInTheQueueNeverStarts(CatalogDatabase db) {
    JobRepository jobs = new JobRepository(db);
    long id = jobs.create(JobKind.RUN_MAINTENANCE, "all", "table => 'all'", "queued", "alice", ME).jobId();
    assertThat(jobs.fail(id, List.of(JobState.PENDING), "cancelled by bob; it never started")).isTrue();
    assertThat(jobs.start(id, "started")).isFalse();
    assertThat(jobs.find(id).orElseThrow()).satisfies(j -> {
      assertThat(j.state()).isEqualTo(JobState.FAILED);
      assertThat(j.message()).isEqualTo("cancelled by bob; it never started");
    });
  }

  @ParameterizedTest
  @MethodSource("databases")
  void jobsOfAGoneOrSilentProcessAreMarkedAbandonedOthersAreLeftAlone(CatalogDatabase db) {
    JobRepository jobs = new JobRepository(db);
    long dead = jobs.create(JobKind.SYNC_ONLINE, "v", "a", "queued", "alice", DEAD).jobId();
    jobs.start(dead, "started");
    long deadQueued = jobs.create(JobKind.RUN_MAINTENANCE, "all", "a", "queued", "alice", DEAD).jobId();
    long mine = jobs.create(JobKind.SYNC_ONLINE, "v", "a", "queued", "alice", ME).jobId();
    long elsewhere = jobs.create(JobKind.SYNC_ONLINE, "v", "a", "queued", "alice", ELSEWHERE).jobId();

    queries(jobs, 0).resolveAbandoned();
    assertThat(jobs.find(dead).orElseThrow().message()).isEqualTo("abandoned: owner process 111 on host-a is gone "
        + "(killed or crashed while the job was RUNNING); the sync cursor moves only with a finished sync; re-run sync_online");
    assertThat(jobs.find(deadQueued).orElseThrow().message()).isEqualTo("abandoned: owner process 111 on host-a is gone "
        + "(killed or crashed while the job was PENDING); each maintenance step commits atomically; re-run run_maintenance");
    assertThat(jobs.find(mine).orElseThrow().state()).isEqualTo(JobState.PENDING);
    assertThat(jobs.find(elsewhere).orElseThrow().state()).as("another host, heartbeat fresh").isEqualTo(JobState.PENDING);

    queries(jobs, 11).resolveAbandoned();
    PlatformJob silent = jobs.find(elsewhere).orElseThrow();
    assertThat(silent.state()).isEqualTo(JobState.FAILED);
    assertThat(silent.message()).startsWith("abandoned: no heartbeat from host-b pid 2000 since ");
    assertThat(jobs.find(mine).orElseThrow().state()).as("this process's own job is never judged").isEqualTo(JobState.PENDING);
    jobs.fail(mine, List.of(JobState.PENDING), "cleanup");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void anUnknownJobIsNotFoundAndListsArePagedNewestFirst(CatalogDatabase db) {
    JobRepository jobs = new JobRepository(db);
    JobQueries queries = queries(jobs, 0);
    assertThatThrownBy(() -> queries.get(987_654_321L))
        .isInstanceOf(PlatformException.class).hasMessage("Unknown job 987654321")
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    long a = jobs.create(JobKind.RUN_MAINTENANCE, "t1", "a", "queued", "alice", ME).jobId();
    long b = jobs.create(JobKind.RUN_MAINTENANCE, "t2", "a", "queued", "alice", ME).jobId();
    assertThat(queries.list(JobKind.RUN_MAINTENANCE, PageRequest.first(2)).items()).extracting(PlatformJob::jobId)
        .containsExactly(b, a);
    assertThat(queries.get(b).target()).isEqualTo("t2");
    jobs.fail(a, List.of(JobState.PENDING), "cleanup");
    jobs.fail(b, List.of(JobState.PENDING), "cleanup");
  }
}
