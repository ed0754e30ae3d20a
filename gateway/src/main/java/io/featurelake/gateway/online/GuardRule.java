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
}
