package io.featurelake.sqlcatalog.database;

/** The catalog database is unreachable or its schema cannot be brought up to date. */
public class CatalogDatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
