package io.featurelake.gateway.online;

/**
 * The guard's rule, the same as the server-side script ({@code online-guard.lua}) applies
 * atomically: a row replaces what Redis holds for its entity iff its
 * {@code (event_ts, snapshot_seq)} is lexicographically greater. An older event never
 * overwrites a newer one; an equal event time from a newer snapshot (a correction) does; an
 * equal pair (a re-run) changes nothing. Kept in Java for the docs and the tests; the write path
 * never decides on the client (that would race).
 */
public final class GuardRule {

  private GuardRule() {}

  /** {@code storedEventTs} null: Redis has no row for the entity (or one written by something else). */
  public static boolean writes(long newEventTs, long newSeq, Long storedEventTs, Long storedSeq) {
    if (storedEventTs == null) {
      return true;
    }
    long seq = storedSeq == null ? -1 : storedSeq;
    return newEventTs > storedEventTs || (newEventTs == storedEventTs && newSeq > seq);
  }

  /**
   * The retraction's rule ({@code online-retract.lua}): for an entity whose rows were removed from
   * main, the latest removed event time {@code retractTs} and the highest sequence number of the
   * removing commits {@code retractSeq}, whether the stored value goes (replaced by main's latest
   * row, or deleted when there is none): iff the key is absent or holds no readable pair, or its
   * pair is lexicographically below {@code (retractTs, retractSeq)}. A value that came from a
   * removed row is always below; one at or above came from a commit at least as late and stays.
   */
  public static boolean retracts(long retractTs, long retractSeq, Long storedEventTs, Long storedSeq) {
    if (storedEventTs == null) {
      return true;
    }
    long seq = storedSeq == null ? -1 : storedSeq;
    return storedEventTs < retractTs || (storedEventTs == retractTs && seq < retractSeq);
  }
}
