package io.featurelake.sqlcatalog.online;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Finds syncs left RUNNING by a process that is gone and marks them FAILED with a message starting
 * {@code "abandoned: "}. A RUNNING sync is abandoned when
 * <ul>
 *   <li>its owner ran on this host under another pid that no longer exists (killed, crashed), or
 *   <li>its last sign of life (heartbeat, else start) is older than {@code silence}, whatever the
 *       host: an owner on another host cannot be checked otherwise, and on this host a pid may
 *       have been reused by an unrelated process.
 * </ul>
 * The cursor is never touched: it moves only with a SUCCEEDED sync, and a sync marked abandoned
 * can no longer succeed, so its owner, if it was alive after all, cannot move it either.
 */
public final class AbandonedSyncs {

  private final OnlineSyncRepository syncs;
  private final SyncOwner me;
  private final LongPredicate pidAlive;
  private final Duration silence;
  private final Clock clock;

  /**
   * @param me this process
   * @param pidAlive whether a process of this host with that pid exists
   * @param silence how long a RUNNING sync may go without a heartbeat
   */
  public AbandonedSyncs(OnlineSyncRepository syncs, SyncOwner me, LongPredicate pidAlive, Duration silence, Clock clock) {
    this.syncs = syncs;
    this.me = me;
    this.pidAlive = pidAlive;
    this.silence = silence;
    this.clock = clock;
  }

  /** For this JVM: its host and pid, {@link ProcessHandle} for liveness, the system clock. */
  public static AbandonedSyncs forThisProcess(OnlineSyncRepository syncs, Duration silence) {
    return new AbandonedSyncs(syncs, SyncOwner.current(),
        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), silence, Clock.systemUTC());
  }

  /** Marks the abandoned RUNNING syncs of one view ({@code null}: of every view); returns them as marked. */
  public List<OnlineSync> resolve(String featureViewOrNull) {
    List<OnlineSync> marked = new ArrayList<>();
    OffsetDateTime silentBefore = OffsetDateTime.now(clock).minus(silence);
    for (OnlineSync sync : syncs.running(featureViewOrNull)) {
      Optional<OnlineSync> done = Optional.empty();
      if (me.host().equals(sync.ownerHost()) && sync.ownerPid() != null && sync.ownerPid() != me.pid()
          && !pidAlive.test(sync.ownerPid())) {
        done = syncs.abandon(sync.syncId(), "abandoned: owner process " + sync.ownerPid() + " on " + sync.ownerHost()
            + " is gone (killed or crashed while the sync was RUNNING); the cursor was not moved", null);
      } else if (sync.lastSignOfLife().isBefore(silentBefore)) {
        String who = sync.owner() == null ? "its process (not recorded)" : sync.owner();
        done = syncs.abandon(sync.syncId(), "abandoned: no heartbeat from " + who + " since " + sync.lastSignOfLife()
            + " (more than " + describe(silence) + "); the cursor was not moved", silentBefore);
      }
      done.ifPresent(marked::add);
    }
    return marked;
  }

  private static String describe(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
