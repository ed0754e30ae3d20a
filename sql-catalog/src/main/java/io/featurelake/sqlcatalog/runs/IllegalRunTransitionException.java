package io.featurelake.sqlcatalog.runs;

/** A run was asked to move to a state its current state does not allow (or it moved meanwhile). */
public class IllegalRunTransitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long runId;
  private final RunState actual;

  public IllegalRunTransitionException(long runId, RunState actual, RunState target) {
    super("Run " + runId + " is " + actual + " and cannot move to " + target
        + (actual.next().isEmpty() ? " (" + actual + " is final)" : "; allowed next: " + actual.next()));
    this.runId = runId;
    this.actual = actual;
  }

  public long runId() {
    return runId;
  }

  public RunState actual() {
    return actual;
  }
}
