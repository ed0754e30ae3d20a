package io.featurelake.gateway.errors;

import java.util.Map;
import org.apache.spark.SparkThrowable;

/**
 * The platform's own failure: a stable {@link ErrorCode} and a message that names the bad value.
 * Implements {@link SparkThrowable} so Spark and the JDBC gateway report its error class and
 * SQLSTATE as they do for Spark's own errors.
 */
public class PlatformException extends RuntimeException implements SparkThrowable {
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

  @Override
  public String getErrorClass() {
    return code.name();
  }

  @Override
  public String getSqlState() {
    return code.sqlState();
  }

  @Override
  public Map<String, String> getMessageParameters() {
    return Map.of("message", getMessage());
  }
}
