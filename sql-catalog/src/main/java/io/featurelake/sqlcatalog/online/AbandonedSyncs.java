package io.featurelake.sqlcatalog.online;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import io.featurelake.sqlcatalog.process.OwnerLiveness;
import io.featurelake.sqlcatalog.process.ProcessOwner;

/**
 * Finds syncs left RUNNING by a process that is gone and marks them FAILED with a message starting
 * {@code "abandoned: "}. A RUNNING sync is abandoned when
 * {@link OwnerLiveness} says (the rule backfill runs follow too).
 * The cursor is never touched: it moves only with a SUCCEEDED sync, and a sync marked abandoned
 * can no longer succeed, so its owner, if it was alive after all, cannot move it either.
 */
public final class AbandonedSyncs {

  private final OnlineSyncRepository syncs;
  private final OwnerLiveness liveness;

  public AbandonedSyncs(OnlineSyncRepository syncs, OwnerLiveness liveness) {
    this.syncs = syncs;
    this.liveness = liveness;
  }

  /**
   * @param me this process
   * @param pidAlive whether a process of this host with that pid exists
   * @param silence how long a RUNNING sync may go without a heartbeat
   */
  public AbandonedSyncs(OnlineSyncRepository syncs, ProcessOwner me, LongPredicate pidAlive, Duration silence, Clock clock) {
    this(syncs, new OwnerLiveness(me, pidAlive, silence, clock));
  }

  /** For this JVM: its host and pid, {@link ProcessHandle} for liveness, the system clock. */
  public static AbandonedSyncs forThisProcess(OnlineSyncRepository syncs, Duration silence) {
    return new AbandonedSyncs(syncs, OwnerLiveness.forThisProcess(silence));
  }

  /** Marks the abandoned RUNNING syncs of one view ({@code null}: of every view); returns them as marked. */
  public List<OnlineSync> resolve(String featureViewOrNull) {
    List<OnlineSync> marked = new ArrayList<>();
    for (OnlineSync sync : syncs.running(featureViewOrNull)) {
      Optional<OwnerLiveness.Abandoned> verdict = liveness.judge(sync.ownerHost(), sync.ownerPid(), sync.lastSignOfLife(),
          "the sync was RUNNING");
      verdict.flatMap(v -> syncs.abandon(sync.syncId(), v.reason() + "; the cursor was not moved",
          v.silent() ? liveness.silentBefore() : null)).ifPresent(marked::add);
    }
    return marked;
  }
}
