package io.featurelake.sqlcatalog.online;

/** The catalog database failed while reading or writing sync cursors or history. */
public class OnlineSyncStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnlineSyncStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
