package io.featurelake.sqlcatalog.errors;

/**
 * Stable error codes of the platform. Tests and the UI rely on them; never rename one.
 * The SQLSTATE travels to JDBC clients with the message.
 */
public enum ErrorCode {
  /** A procedure argument is missing, unknown, of the wrong type or out of range. */
  INVALID_PROCEDURE_ARGUMENT("22023", Kind.USER_ERROR),
  /** A statement (e.g. a CALL) does not parse. */
  SYNTAX_ERROR("42601", Kind.USER_ERROR),
  /** No procedure of that name exists in the platform namespace. */
  UNKNOWN_PROCEDURE("42883", Kind.USER_ERROR),
  /** A named object (feature view, run, table) does not exist. */
  NOT_FOUND("42704", Kind.USER_ERROR),
  /** A feature-view definition file is malformed; the message names the file and the field. */
  INVALID_DEFINITION("42000", Kind.USER_ERROR),
  /** The request conflicts with the current state (e.g. publishing a run whose audit failed). */
  INVALID_STATE("55000", Kind.USER_ERROR),
  /**
   * A time-travel clause of the wrong form, e.g. a timestamp behind {@code VERSION AS OF}; the
   * message says what to write instead. SQLSTATE as Spark's INVALID_TIME_TRAVEL_SPEC.
   */
  TIME_TRAVEL_FORM("42K0E", Kind.USER_ERROR),
  /** An external system (catalog database, Redis, storage) failed or is unreachable. */
  EXTERNAL_FAILURE("58000", Kind.EXTERNAL),
  /** A bug: something that should not happen did. */
  INTERNAL_ERROR("XX000", Kind.INTERNAL);

  /** Who has to act on the error. */
  public enum Kind {
    USER_ERROR,
    EXTERNAL,
    INTERNAL
  }

  private final String sqlState;
  private final Kind kind;

  ErrorCode(String sqlState, Kind kind) {
    this.sqlState = sqlState;
    this.kind = kind;
  }

  public String sqlState() {
    return sqlState;
  }

  public Kind kind() {
    return kind;
  }
}
