package io.featurelake.sqlcatalog.jobs;

/**
 * Lifecycle of an asynchronous job: {@code PENDING → RUNNING → SUCCEEDED}, and {@code → FAILED}
 * from either of the first two (a failure, a cancel, or abandonment by a process that is gone).
 */
public enum JobState {
  PENDING, RUNNING, SUCCEEDED, FAILED;

  /** Still owned by a process that may work on it. */
  public boolean isInFlight() {
    return this == PENDING || this == RUNNING;
  }
}
