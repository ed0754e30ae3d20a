package io.featurelake.sqlcatalog.errors;

/**
 * The platform's own failure: a stable {@link ErrorCode} and a message that names the bad value.
 * Deliberately engine-free (not a {@code SparkThrowable}): every door (the JDBC gateway, the
 * scripts, the web UI) gets the same code and message, and the gateway adapts it to Spark's
 * error shape at its edge ({@code ConciseErrors}), as Trino keeps its error SPI free of the engine.
 */
public class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public PlatformException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public PlatformException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public static PlatformException invalidArgument(String format, Object... args) {
    return new PlatformException(ErrorCode.INVALID_PROCEDURE_ARGUMENT, String.format(format, args));
  }

  public static PlatformException invalidState(String format, Object... args) {
    return new PlatformException(ErrorCode.INVALID_STATE, String.format(format, args));
  }

  public static PlatformException notFound(String format, Object... args) {
    return new PlatformException(ErrorCode.NOT_FOUND, String.format(format, args));
  }

  public ErrorCode code() {
    return code;
  }

  /** The error class clients see, e.g. {@code NOT_FOUND}. */
  public String errorClass() {
    return code.name();
  }

  public String sqlState() {
    return code.sqlState();
  }
}
