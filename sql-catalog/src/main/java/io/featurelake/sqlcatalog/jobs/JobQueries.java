package io.featurelake.sqlcatalog.jobs;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.process.OwnerLiveness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads of asynchronous jobs for any door. Before answering, a job left PENDING or RUNNING by
 * a process that is gone is marked FAILED ("abandoned: ...") by the one rule of
 * {@link OwnerLiveness}, so a gateway stopped with jobs in flight leaves them resolvable from
 * any JVM.
 */
public final class JobQueries {

  private final JobRepository jobs;
  private final OwnerLiveness liveness;

  public JobQueries(DataSource db, Duration silence) {
    this(new JobRepository(db), OwnerLiveness.forThisProcess(silence));
  }

  public JobQueries(JobRepository jobs, OwnerLiveness liveness) {
    this.jobs = jobs;
    this.liveness = liveness;
  }

  /** The job; NOT_FOUND {@code Unknown job 42} when there is none. */
  public PlatformJob get(long jobId) {
    resolveAbandoned();
    return jobs.find(jobId).orElseThrow(() -> PlatformException.notFound("Unknown job %d", jobId));
  }

  /** Jobs newest first, of one kind when {@code kindOrNull} is set. */
  public Page<PlatformJob> list(JobKind kindOrNull, PageRequest page) {
    resolveAbandoned();
    return jobs.page(kindOrNull, page);
  }

  /** Marks the in-flight jobs whose owner is gone FAILED; returns them as they were before. */
  public List<PlatformJob> resolveAbandoned() {
    List<PlatformJob> marked = new ArrayList<>();
    for (PlatformJob job : jobs.inFlight()) {
      liveness.judge(job.ownerHost(), job.ownerPid(), job.lastSignOfLife(), "the job was " + job.state())
          .filter(v -> jobs.abandon(job.jobId(), v.reason() + "; " + afterAbandon(job.kind()),
              v.silent() ? liveness.silentBefore() : null))
          .ifPresent(v -> marked.add(job));
    }
    return marked;
  }

  /** What an abandoned job left behind, in the words of its kind. */
  private static String afterAbandon(JobKind kind) {
    return switch (kind) {
      case SYNC_ONLINE -> "the sync cursor moves only with a finished sync; re-run sync_online";
      case RUN_MAINTENANCE -> "each maintenance step commits atomically; re-run run_maintenance";
    };
  }
}
