package io.featurelake.gateway.runs;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.gateway.errors.Sneaky;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.IllegalRunTransitionException;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backfills so that a client need not wait for them, and cancels them. A run started with
 * {@code wait => false} is recorded PENDING at once and executed on the gateway's {@link WorkPool}
 * (shared with {@link JobExecutor}'s jobs); queued runs wait PENDING (and say so in their
 * progress); a start beyond the pool is refused before anything is recorded. A run started with
 * {@code wait => true} executes in the caller's thread, as before, but is registered here too, so
 * {@code cancel_run} and a JDBC {@code Statement.cancel()} reach it.
 *
 * <p>Cancelling moves the run to FAILED ("cancelled by &lt;user&gt;") first, by compare-and-set
 * from PENDING, COMPUTING or AUDITING only (a PASSED run may be publishing: main must not move
 * for a run recorded as failed), then cancels the run's Spark job group. The run's own error path
 * then finds it FAILED, removes its branch and ends it DROPPED; main was never touched. Threads
 * are never interrupted: an interrupt inside a JDBC call closes the embedded catalog database.
 *
 * <p>A gateway stopped with runs in flight leaves them in their state with this process as owner;
 * once the process is gone, the next backfill of the view or {@code cleanup_runs()} resolves them
 * (see {@code OwnerLiveness}).
 */
public final class RunExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);
  /** Spark's local property holding the current thread's job group. */
  private static final String JOB_GROUP = "spark.jobGroup.id";
  private static final Set<RunState> CANCELLABLE = EnumSet.of(RunState.PENDING, RunState.COMPUTING, RunState.AUDITING);
  /** How long cancel_run waits for the cancelled run to end DROPPED before answering. */
  private static final long CANCEL_WAIT_MS = 60_000;

  private final WorkPool pool;
  private final RunRepository runs;
  private final Map<Long, Handle> handles = new ConcurrentHashMap<>();

  /** A run this process is working on (or will, once a worker is free). */
  private static final class Handle {
    final long runId;
    final String featureView;
    final SparkContext context;
    volatile String jobGroup;
    /** Its place in the pool; null for a run that executes in its caller's thread. */
    final WorkPool.Ticket ticket;
    volatile boolean started;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Handle(long runId, String featureView, SparkContext context, String jobGroup, WorkPool.Ticket ticket) {
      this.runId = runId;
      this.featureView = featureView;
      this.context = context;
      this.jobGroup = jobGroup;
      this.ticket = ticket;
    }
  }

  public RunExecutor(WorkPool pool, RunRepository runs) {
    this.pool = pool;
    this.runs = runs;
  }

  /** Spark job group of an asynchronous run. */
  public static String jobGroupOf(long runId) {
    return "featurelake-run-" + runId;
  }

  /**
   * Records the run (PENDING) and returns it at once; the work goes on on a worker. Refused with
   * INVALID_STATE, before anything is recorded, when every worker and queue place is taken.
   */
  public BackfillRun submit(BackfillService service, BackfillRequest request, ProgressListener progress) {
    WorkPool.Ticket ticket = pool.admit("a backfill of " + request.featureView());
    BackfillRun run;
    try {
      run = service.recordPending(request, progress);
    } catch (RuntimeException e) {
      pool.release(ticket);
      throw e;
    }
    long id = run.runId();
    SparkContext context = service.spark().sparkContext();
    Handle handle = new Handle(id, request.featureView(), context, jobGroupOf(id), ticket);
    handles.put(id, handle);
    runs.progress(id, "queued: waiting for a free worker (" + pool.ahead(ticket) + " ahead, " + pool.workers() + " workers)");
    pool.submit(ticket, () -> work(service, run, handle, progress));
    return runs.find(id).orElseThrow();
  }

  private void work(BackfillService service, BackfillRun run, Handle handle, ProgressListener progress) {
    long id = handle.runId;
    SparkSession.setActiveSession(service.spark());
    handle.context.setJobGroup(handle.jobGroup, "featurelake backfill run " + id, true);
    handle.started = true;
    try {
      if (runs.find(id).map(r -> r.state() != RunState.PENDING).orElse(true)) {
        finishCancelled(service, handle); // cancelled while it was about to start
        return;
      }
      runs.progress(id, "started on a worker after " + (System.nanoTime() - handle.ticket.queuedAt) / 1_000_000
          + " ms in the queue; planning the query");
      service.execute(service.plan(run, progress), progress);
    } catch (Throwable e) {
      LOG.info("Run {} ended with: {}", id, ConciseErrors.message(e));
      finishCancelled(service, handle);
    } finally {
      handle.context.clearJobGroup();
      SparkSession.clearActiveSession();
      handles.remove(id);
      pool.release(handle.ticket);
      handle.done.complete(null);
    }
  }

  /**
   * Runs the whole lifecycle in this thread (the caller waits), registered so that it can be
   * cancelled. Inside a JDBC statement the statement's job group is kept: Spark's own
   * {@code Statement.cancel()} cancels that group.
   */
  public BackfillResult runHere(BackfillService service, BackfillRequest request, ProgressListener progress) {
    BackfillService.PreparedRun prepared = service.prepare(request, progress);
    long id = prepared.run().runId();
    SparkContext context = prepared.computed().sparkSession().sparkContext();
    String group = context.getLocalProperty(JOB_GROUP);
    boolean own = group == null;
    Handle handle = new Handle(id, request.featureView(), context, own ? jobGroupOf(id) : group, null);
    handle.started = true;
    handles.put(id, handle);
    if (own) {
      context.setJobGroup(handle.jobGroup, "featurelake backfill run " + id, true);
    }
    try {
      return service.execute(prepared, progress);
    } catch (Throwable e) {
      // Statement.cancel() interrupts this thread (Spark's doing): clear the flag before the
      // clean-up talks to the catalog database, which an interrupted thread would close.
      Thread.interrupted();
      finishCancelled(service, handle);
      throw Sneaky.raise(e);
    } finally {
      if (own) {
        context.clearJobGroup();
      }
      handles.remove(id);
      handle.done.complete(null);
    }
  }

  /** A cancelled run whose work stopped outside the service's own error path: drop its branch now. */
  private void finishCancelled(BackfillService service, Handle handle) {
    try {
      if (runs.find(handle.runId).map(r -> r.state() == RunState.FAILED).orElse(false)) {
        service.cleanupAbandoned(handle.featureView);
      }
    } catch (RuntimeException cleanup) {
      LOG.warn("Run {}: branch cleanup after cancel failed; cleanup_runs() will retry", handle.runId, cleanup);
    }
  }

  /**
   * Cancels a run of this gateway: FAILED "cancelled by {@code user}", its Spark jobs cancelled,
   * then DROPPED once its work noticed. Returns the run as it stands after at most a minute.
   */
  public BackfillRun cancel(long runId, String user) {
    BackfillRun run = runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
    if (!run.state().isInFlight()) {
      throw PlatformException.invalidState("Cannot cancel run %d: it already ended %s%s", runId, run.state(),
          run.message() == null ? "" : " (" + run.message() + ")");
    }
    Handle handle = handles.get(runId);
    if (handle == null) {
      throw PlatformException.invalidState("Cannot cancel run %d: it is %s but not running in this gateway (owner %s pid %d)"
          + "; cleanup_runs() resolves it once its owner is gone", runId, run.state(), run.ownerHost(), run.ownerPid());
    }
    String why = "cancelled by " + user;
    try {
      runs.transition(runId, CANCELLABLE, RunState.FAILED, RunUpdate.none().message(why), why);
    } catch (IllegalRunTransitionException moved) {
      BackfillRun now = runs.find(runId).orElseThrow();
      throw PlatformException.invalidState("Cannot cancel run %d: it is %s%s", runId, now.state(),
          now.state() == RunState.PASSED ? " (audited, publishing or waiting to be published; main may already have "
              + "moved)" : "");
    }
    LOG.warn("Run {} {}", runId, why);
    if (!handle.started && handle.ticket != null && pool.cancelQueued(handle.ticket)) {
      // Never started: no branch was cut.
      runs.transition(runId, RunState.DROPPED, RunUpdate.none(), "never started; nothing to remove");
      handles.remove(runId);
      handle.done.complete(null);
    } else if (!WorkPool.cancelUntilDone(handle.context, handle.jobGroup, handle.done, CANCEL_WAIT_MS)) {
      LOG.warn("Run {} still winding down after cancel", runId);
    }
    return runs.find(runId).orElseThrow();
  }

  /** A JDBC client cancelled the statement running in {@code jobGroup}: cancel the runs it waits for. */
  public void statementCancelled(String jobGroup, String user) {
    for (Handle h : new ArrayList<>(handles.values())) {
      if (jobGroup.equals(h.jobGroup)) {
        String why = "cancelled by " + user + " (statement cancelled)";
        try {
          runs.transition(h.runId, CANCELLABLE, RunState.FAILED, RunUpdate.none().message(why), why);
          LOG.warn("Run {} {}", h.runId, why);
        } catch (RuntimeException moved) {
          LOG.info("Run {} not cancelled with its statement: {}", h.runId, moved.getMessage());
        }
      }
    }
  }

  /** How many runs or jobs wait for a worker ahead of this one, if it is queued here. */
  public Optional<Integer> queuePosition(long runId) {
    Handle me = handles.get(runId);
    if (me == null || me.started || me.ticket == null) {
      return Optional.empty();
    }
    return Optional.of(pool.ahead(me.ticket));
  }

  /** Whether this gateway works on the run now. */
  public boolean isRunningHere(long runId) {
    return handles.containsKey(runId);
  }

  public List<Long> activeRuns() {
    return List.copyOf(handles.keySet());
  }
}
