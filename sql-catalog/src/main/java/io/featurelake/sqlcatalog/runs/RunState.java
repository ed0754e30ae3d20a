package io.featurelake.sqlcatalog.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a backfill run. Only the moves in {@link #next()} are legal; the repository
 * refuses every other one, so a crash leaves a visible state, never an impossible one.
 *
 * <pre>
 * PENDING → COMPUTING → AUDITING → PASSED → PUBLISHED
 *                                  PASSED → AUDITING     (re-audit, after a rebase)
 * PENDING | COMPUTING | AUDITING | PASSED → FAILED → DROPPED (branch removed)
 *                                            FAILED → PUBLISHED (a person overrides the failed audit)
 * </pre>
 */
public enum RunState {
  PENDING,
  COMPUTING,
  AUDITING,
  PASSED,
  PUBLISHED,
  FAILED,
  DROPPED;

  private static final Map<RunState, Set<RunState>> NEXT = Map.of(
      PENDING, EnumSet.of(COMPUTING, FAILED),
      COMPUTING, EnumSet.of(AUDITING, FAILED),
      AUDITING, EnumSet.of(PASSED, FAILED),
      PASSED, EnumSet.of(PUBLISHED, AUDITING, FAILED),
      PUBLISHED, EnumSet.noneOf(RunState.class),
      FAILED, EnumSet.of(DROPPED, PUBLISHED),
      DROPPED, EnumSet.noneOf(RunState.class));

  public Set<RunState> next() {
    return NEXT.get(this);
  }

  public boolean canMoveTo(RunState target) {
    return NEXT.get(this).contains(target);
  }

  /** Nothing more will happen to a run in this state. */
  public boolean isTerminal() {
    return this == PUBLISHED || this == DROPPED;
  }

  /** A process is (or was, if it died) working on the run. */
  public boolean isInFlight() {
    return this == PENDING || this == COMPUTING || this == AUDITING || this == PASSED;
  }
}
