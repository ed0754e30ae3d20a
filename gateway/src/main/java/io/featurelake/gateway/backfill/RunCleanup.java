package io.featurelake.gateway.backfill;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.process.OwnerLiveness;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.IllegalRunTransitionException;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.runs.RunUpdate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends runs that cannot go on: a run that failed now (FAILED, branch removed, DROPPED), and runs
 * whose owner died or went silent, or whose failed audit's kept branch expired.
 */
final class RunCleanup {

  private static final Logger LOG = LoggerFactory.getLogger(RunCleanup.class);

  private final RunRepository runs;
  private final FeatureTables tables;
  private final Duration abandonAfter;

  RunCleanup(RunRepository runs, FeatureTables tables, Duration abandonAfter) {
    this.runs = runs;
    this.tables = tables;
    this.abandonAfter = abandonAfter;
  }

  /**
   * Resolves runs whose owner died (same host, process gone) or went silent (other host, no
   * heartbeat for the configured time): FAILED, then the branch is removed and the run DROPPED.
   */
  List<BackfillRun> abandoned(String featureViewOrNull) {
    List<BackfillRun> resolved = new ArrayList<>();
    OwnerLiveness liveness = OwnerLiveness.forThisProcess(abandonAfter);
    for (BackfillRun run : runs.inStates(EnumSet.of(RunState.PENDING, RunState.COMPUTING, RunState.AUDITING,
        RunState.PASSED, RunState.FAILED))) {
      if (featureViewOrNull != null && !run.featureView().equals(featureViewOrNull)) {
        continue;
      }
      // A failed audit's branch is kept for inspection or an override until it expires; after
      // that (or when it was never kept) the run is finished off whoever owns it. The rest follow
      // the one abandonment rule shared with online syncs (this process's own runs are never judged).
      String reason;
      if (run.state() == RunState.FAILED && run.branchExpiresAt() != null
          && run.branchExpiresAt().isAfter(OffsetDateTime.now())) {
        continue;
      } else if (run.state() == RunState.FAILED) {
        reason = run.branchExpiresAt() == null ? "failed run whose branch was not yet removed"
            : "failed audit's kept branch expired at " + run.branchExpiresAt();
      } else {
        reason = liveness.judge(run.ownerHost(), run.ownerPid(), run.heartbeatAt(), run.state().name())
            .map(OwnerLiveness.Abandoned::reason).orElse(null);
      }
      if (reason == null) {
        continue;
      }
      try {
        if (run.state() != RunState.FAILED) {
          runs.transition(run.runId(), RunState.FAILED, RunUpdate.none().message(reason), reason);
        }
        if (tables.exists(run.featureView())) {
          dropBranch(tables.load(run.featureView()), run.branch());
        }
        resolved.add(runs.transition(run.runId(), RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed"));
        LOG.warn("Run {} of {} resolved: {}", run.runId(), run.featureView(), reason);
      } catch (IllegalRunTransitionException raced) {
        LOG.info("Run {} moved while being cleaned up: {}", run.runId(), raced.getMessage());
      }
    }
    return resolved;
  }

  /** Ends a run that failed: FAILED with {@code message}, branch removed, DROPPED; never throws. */
  void failAndDrop(long runId, String message, ProgressListener progress) {
    try {
      BackfillRun run = find(runId);
      if (run.state().isInFlight()) {
        runs.transition(runId, RunState.FAILED, RunUpdate.none().message(message), message);
      }
      run = find(runId);
      if (run.state() == RunState.FAILED) {
        if (tables.exists(run.featureView())) {
          dropBranch(tables.load(run.featureView()), run.branch());
        }
        runs.transition(runId, RunState.DROPPED, RunUpdate.none(), "branch " + run.branch() + " removed");
      }
      progress.onProgress(runId, "DROPPED: " + message);
    } catch (RuntimeException cleanup) {
      LOG.error("Run {} could not be cleaned up after a failure ({}); cleanup_runs() will retry", runId, message, cleanup);
    }
  }

  /**
   * {@code drop_run}: a person discards a run that will not be published: a FAILED run whose branch
   * is kept for inspection, or a PASSED run that waits for a publish nobody asked for. Its branch is
   * removed and it ends DROPPED with "dropped by {@code user}"; {@code main} is never touched.
   */
  BackfillRun drop(long runId, String user) {
    BackfillRun run = find(runId);
    String why = "dropped by " + user;
    switch (run.state()) {
      case FAILED -> { }
      case PASSED -> {
        if (run.publishRequested()) {
          throw PlatformException.invalidState("Cannot drop run %d: it PASSED its audit and is being published; "
              + "once PUBLISHED its rows are on main (a later backfill of the window replaces them)", runId);
        }
        try {
          runs.transition(runId, EnumSet.of(RunState.PASSED), RunState.FAILED, RunUpdate.none().message(why), why);
        } catch (IllegalRunTransitionException moved) {
          throw PlatformException.invalidState("Cannot drop run %d: it moved to %s meanwhile", runId, find(runId).state());
        }
      }
      case PENDING, COMPUTING, AUDITING -> throw PlatformException.invalidState(
          "Cannot drop run %d: it is %s; stop it with CALL lake.platform.cancel_run(run_id => %d)", runId, run.state(), runId);
      case PUBLISHED -> throw PlatformException.invalidState("Cannot drop run %d: it is PUBLISHED (its rows are on main, "
          + "tag run_%d keeps them reachable); a later backfill of the window replaces them", runId, runId);
      case DROPPED -> throw PlatformException.invalidState("Cannot drop run %d: it is already DROPPED%s", runId,
          run.message() == null ? "" : " (" + run.message() + ")");
    }
    if (tables.exists(run.featureView())) {
      dropBranch(tables.load(run.featureView()), run.branch());
    }
    try {
      BackfillRun dropped = runs.transition(runId, EnumSet.of(RunState.FAILED), RunState.DROPPED, RunUpdate.none().message(why),
          why + "; branch " + run.branch() + " removed, main untouched");
      LOG.info("Run {} of {} {}", runId, run.featureView(), why);
      return dropped;
    } catch (IllegalRunTransitionException moved) {
      // Someone published it (an override) between the check and the branch removal.
      throw PlatformException.invalidState("Cannot drop run %d: it moved to %s meanwhile", runId, find(runId).state());
    }
  }

  static void dropBranch(Table table, String branch) {
    table.refresh();
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
  }

  private BackfillRun find(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }
}
