package io.featurelake.sqlcatalog.runs;

/** No run with that id exists. */
public class RunNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long runId;

  public RunNotFoundException(long runId) {
    super("Unknown run " + runId);
    this.runId = runId;
  }

  public long runId() {
    return runId;
  }
}
