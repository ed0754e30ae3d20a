package io.featurelake.sqlcatalog.process;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The one abandonment rule for long work recorded in the catalog database (backfill runs and
 * online syncs alike). Work whose owner is this very process is never judged here (this process
 * knows its own work). Other work is abandoned when
 * <ul>
 *   <li>its owner ran on this host under a pid that no longer exists (killed, crashed), or
 *   <li>its last sign of life (heartbeat, else start) is older than {@code silence}, whatever the
 *       host: an owner on another host cannot be checked otherwise, and on this host a pid may
 *       have been reused by an unrelated process.
 * </ul>
 */
public final class OwnerLiveness {

  private final ProcessOwner me;
  private final LongPredicate pidAlive;
  private final Duration silence;
  private final Clock clock;

  /**
   * @param me this process
   * @param pidAlive whether a process of this host with that pid exists
   * @param silence how long work may go without a sign of life
   */
  public OwnerLiveness(ProcessOwner me, LongPredicate pidAlive, Duration silence, Clock clock) {
    this.me = me;
    this.pidAlive = pidAlive;
    this.silence = silence;
    this.clock = clock;
  }

  /** For this JVM: its host and pid, {@link ProcessHandle} for liveness, the system clock. */
  public static OwnerLiveness forThisProcess(Duration silence) {
    return new OwnerLiveness(ProcessOwner.current(),
        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), silence, Clock.systemUTC());
  }

  public ProcessOwner me() {
    return me;
  }

  public Duration silence() {
    return silence;
  }

  /** The time before which a last sign of life counts as silence. */
  public OffsetDateTime silentBefore() {
    return OffsetDateTime.now(clock).minus(silence);
  }

  /** Whether the owner is this process. */
  public boolean isMe(String host, Long pid) {
    return me.host().equals(host) && pid != null && pid == me.pid();
  }

  /**
   * Why the work of that owner counts as abandoned, or empty while it may still be alive.
   *
   * @param host the owner's host, null when none was recorded
   * @param pid the owner's pid, null when none was recorded
   * @param lastSignOfLife its heartbeat, else its start
   * @param doing what the work was doing, for the message ({@code "the sync was RUNNING"})
   */
  public Optional<Abandoned> judge(String host, Long pid, OffsetDateTime lastSignOfLife, String doing) {
    if (isMe(host, pid)) {
      return Optional.empty();
    }
    if (me.host().equals(host) && pid != null && !pidAlive.test(pid)) {
      return Optional.of(new Abandoned("abandoned: owner process " + pid + " on " + host + " is gone (killed or crashed "
          + "while " + doing + ")", false));
    }
    if (lastSignOfLife.isBefore(silentBefore())) {
      String who = host == null ? "its process (not recorded)" : host + " pid " + pid;
      return Optional.of(new Abandoned("abandoned: no heartbeat from " + who + " since " + lastSignOfLife + " (more than "
          + describe(silence) + ")", true));
    }
    return Optional.empty();
  }

  /**
   * The verdict.
   *
   * @param reason the message recorded with the work, starting {@code "abandoned: "}
   * @param silent true when judged by silence (the caller should re-check the heartbeat atomically)
   */
  public record Abandoned(String reason, boolean silent) {}

  private static String describe(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
