package io.featurelake.gateway.runs;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.gateway.session.SparkJobGroups;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.jobs.JobKind;
import io.featurelake.sqlcatalog.jobs.JobRepository;
import io.featurelake.sqlcatalog.jobs.JobState;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import io.featurelake.sqlcatalog.process.Heartbeat;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code sync_online} and {@code run_maintenance} calls made with {@code wait => false} as
 * jobs: recorded PENDING in {@code platform_jobs} at once, executed on the gateway's
 * {@link WorkPool} (shared with backfill runs) in the Spark job group {@code featurelake-job-<id>},
 * followed with {@code job_status} and stopped with {@code cancel_job}.
 *
 * <p>Cancelling a queued job takes it out of the queue (FAILED "cancelled by &lt;user&gt;; it never
 * started"). Cancelling a running one marks its context cancelled, which the work checks between
 * its steps and before anything it records as done (a sync before it moves its cursor), and
 * cancels its Spark job group, so a step in progress stops at once; the job then ends FAILED
 * "cancelled by &lt;user&gt;; ..." with what the work said about what it left (the cursor not
 * moved, the maintenance steps committed so far). Work that finished before the cancel reached
 * it ends SUCCEEDED. Threads are never interrupted (see {@link WorkPool}).
 *
 * <p>While this gateway holds a job, a heartbeat refreshes it (and its Spark stage progress)
 * every few seconds; a gateway that stops with jobs in flight leaves them PENDING or RUNNING
 * with its process as owner, and the core's {@code JobQueries} marks them FAILED as abandoned
 * once that process is gone (the rule of runs and syncs).
 */
public final class JobExecutor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobExecutor.class);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  /** How long cancel_job waits for the cancelled job to end before answering. */
  private static final long CANCEL_WAIT_MS = 60_000;

  /** The work of one job; returns what it produced. */
  @FunctionalInterface
  public interface Work {
    Outcome run(JobContext context);
  }

  /** What a finished job produced: {@code sync 12}, {@code reports 4, 5}, and its message. */
  public record Outcome(String result, String message) {}

  /** What the work of a job sees: where to report its step, and whether it was cancelled. */
  public static final class JobContext {
    private final long jobId;
    private final JobRepository jobs;
    private volatile String cancelledBy;
    private volatile String step = "started";

    JobContext(long jobId, JobRepository jobs) {
      this.jobId = jobId;
      this.jobs = jobs;
    }

    public long jobId() {
      return jobId;
    }

    /** Records what the job does now (also a heartbeat). */
    public void step(String line) {
      step = line;
      jobs.step(jobId, line);
    }

    /** Whether cancel_job asked this job to stop. */
    public boolean cancelled() {
      return cancelledBy != null;
    }
  }

  /** A job this process works on (or will, once a worker is free). */
  private static final class Handle {
    final long jobId;
    final SparkContext context;
    final WorkPool.Ticket ticket;
    final JobContext job;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final long queuedAt = System.nanoTime();

    Handle(long jobId, SparkContext context, WorkPool.Ticket ticket, JobContext job) {
      this.jobId = jobId;
      this.context = context;
      this.ticket = ticket;
      this.job = job;
    }
  }

  private final WorkPool pool;
  private final JobRepository jobs;
  private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
  private Heartbeat heartbeat;

  public JobExecutor(WorkPool pool, JobRepository jobs) {
    this.pool = pool;
    this.jobs = jobs;
  }

  /** Spark job group of a job. */
  public static String jobGroupOf(long jobId) {
    return "featurelake-job-" + jobId;
  }

  /**
   * Records the job PENDING and returns it at once; a worker runs {@code work} later. Refused
   * with INVALID_STATE, before anything is recorded, when the pool is full.
   */
  public PlatformJob submit(JobKind kind, String target, String arguments, String user, SparkSession spark, Work work) {
    WorkPool.Ticket ticket = pool.admit(kind.label() + " of " + target);
    PlatformJob job;
    try {
      job = jobs.create(kind, target, arguments, "queued: waiting for a free worker (" + pool.ahead(ticket) + " ahead, "
          + pool.workers() + " workers)", user, ProcessOwner.current());
    } catch (RuntimeException e) {
      pool.release(ticket);
      throw e;
    }
    Handle handle = new Handle(job.jobId(), spark.sparkContext(), ticket, new JobContext(job.jobId(), jobs));
    handles.put(job.jobId(), handle);
    startHeartbeat();
    pool.submit(ticket, () -> work(handle, spark, work));
    return job;
  }

  private void work(Handle h, SparkSession spark, Work work) {
    long id = h.jobId;
    SparkSession.setActiveSession(spark);
    h.context.setJobGroup(jobGroupOf(id), "featurelake job " + id, true);
    try {
      if (!jobs.start(id, "started on a worker after " + (System.nanoTime() - h.queuedAt) / 1_000_000 + " ms in the queue")) {
        return; // cancelled while it was about to start
      }
      if (h.job.cancelled()) {
        throw new java.util.concurrent.CancellationException("stopped before its first step");
      }
      Outcome outcome = work.run(h.job);
      if (!jobs.succeed(id, outcome.result(), outcome.message())) {
        LOG.warn("Job {} finished but was no longer RUNNING: {}", id, jobs.find(id).map(PlatformJob::message).orElse(""));
      }
    } catch (Throwable e) {
      String why = ConciseErrors.message(e);
      String message = h.job.cancelled() ? "cancelled by " + h.job.cancelledBy + "; " + why : why;
      LOG.info("Job {} ended FAILED: {}", id, message);
      jobs.fail(id, List.of(JobState.RUNNING), message);
    } finally {
      h.context.clearJobGroup();
      SparkSession.clearActiveSession();
      handles.remove(id);
      pool.release(h.ticket);
      h.done.complete(null);
    }
  }

  /**
   * Cancels a job of this gateway. A queued one ends at once; a running one once its work
   * noticed (its Spark jobs are cancelled). Returns the job as it stands after at most a minute.
   */
  public PlatformJob cancel(long jobId, String user) {
    PlatformJob job = jobs.find(jobId).orElseThrow(() -> PlatformException.notFound("Unknown job %d", jobId));
    if (!job.state().isInFlight()) {
      throw PlatformException.invalidState("Cannot cancel job %d: it already ended %s%s", jobId, job.state(),
          job.message() == null ? "" : " (" + job.message() + ")");
    }
    Handle h = handles.get(jobId);
    if (h == null) {
      throw PlatformException.invalidState("Cannot cancel job %d: it is %s but not running in this gateway (owner %s pid "
          + "%d); job_status marks it FAILED once its owner is gone", jobId, job.state(), job.ownerHost(), job.ownerPid());
    }
    h.job.cancelledBy = user;
    LOG.warn("Job {} ({} of {}) cancelled by {}", jobId, job.kind().label(), job.target(), user);
    if (pool.cancelQueued(h.ticket)) {
      jobs.fail(jobId, List.of(JobState.PENDING), "cancelled by " + user + "; it never started");
      handles.remove(jobId);
      h.done.complete(null);
    } else if (!WorkPool.cancelUntilDone(h.context, jobGroupOf(jobId), h.done, CANCEL_WAIT_MS)) {
      LOG.warn("Job {} still winding down after cancel", jobId);
    }
    return jobs.find(jobId).orElseThrow();
  }

  /** How many runs or jobs wait for a worker ahead of this one, if it is queued here. */
  public Optional<Integer> queuePosition(long jobId) {
    Handle h = handles.get(jobId);
    return h == null || h.ticket.started() ? Optional.empty() : Optional.of(pool.ahead(h.ticket));
  }

  /** Whether this gateway holds the job now (queued or running). */
  public boolean isRunningHere(long jobId) {
    return handles.containsKey(jobId);
  }

  private synchronized void startHeartbeat() {
    if (heartbeat == null) {
      heartbeat = Heartbeat.start("featurelake-job-heartbeat", HEARTBEAT_INTERVAL, this::beat);
    }
  }

  /** Every job held here proves it alive; a running one also shows its Spark stages. */
  private void beat() {
    for (Handle h : handles.values()) {
      String stages = h.ticket.started() ? stageProgress(h.context, jobGroupOf(h.jobId)) : "";
      if (stages.isEmpty()) {
        jobs.heartbeat(h.jobId);
      } else {
        jobs.step(h.jobId, h.job.step + stages);
      }
    }
  }

  /** {@code "; stage 4: 3/8 tasks"} for each active stage of the group's jobs; empty when none runs. */
  static String stageProgress(SparkContext context, String group) {
    StringBuilder out = new StringBuilder();
    for (SparkStageInfo stage : SparkJobGroups.activeStages(context, group)) {
      out.append(String.format("; stage %d: %d/%d tasks", stage.stageId(), stage.numCompletedTasks(), stage.numTasks()));
    }
    return out.toString();
  }

  /** Stops the heartbeat; jobs in flight keep their state (see the class comment). */
  @Override
  public synchronized void close() {
    if (heartbeat != null) {
      heartbeat.close();
      heartbeat = null;
    }
  }
}
