package io.featurelake.sqlcatalog.runs;

/** The catalog database failed while reading or writing runs. */
public class RunStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
