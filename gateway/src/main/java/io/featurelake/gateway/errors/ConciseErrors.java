package io.featurelake.gateway.errors;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hive.service.cli.HiveSQLException;
import org.apache.spark.SparkThrowable;

/**
 * Turns a server-side failure into the one line a JDBC user needs: the error class or exception
 * type and the first line of its message. The full trace stays in the server log.
 */
public final class ConciseErrors {

  /** Longest message we send; Spark sometimes puts a whole plan in the first line. */
  static final int MAX_LENGTH = 1000;

  private ConciseErrors() {}

  /**
   * The exception to report: the platform's own if any, else the first Spark error with an error
   * class, else the first exception that is not a mere wrapper of its cause.
   */
  public static Throwable reportable(Throwable error) {
    Throwable firstSpark = null;
    Throwable firstReal = null;
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof PlatformException) {
        return t;
      }
      if (firstSpark == null && t instanceof SparkThrowable && ((SparkThrowable) t).getErrorClass() != null) {
        firstSpark = t;
      }
      if (firstReal == null && !isWrapper(t)) {
        firstReal = t;
      }
    }
    if (firstSpark != null) {
      return firstSpark;
    }
    return firstReal != null ? firstReal : error;
  }

  private static boolean isWrapper(Throwable t) {
    return t.getCause() != null && (t instanceof HiveSQLException
        || t instanceof org.apache.spark.SparkException
        || t instanceof java.util.concurrent.ExecutionException
        || t instanceof java.util.concurrent.CompletionException
        || t instanceof java.lang.reflect.InvocationTargetException
        || t instanceof java.lang.reflect.UndeclaredThrowableException
        || t instanceof java.security.PrivilegedActionException);
  }

  /**
   * One line: {@code [ERROR_CLASS] first line} or {@code SimpleName: first line}. The platform's
   * own exception is engine-free; here, at the Spark edge, it gets the same shape as Spark's errors.
   */
  public static String message(Throwable error) {
    Throwable t = reportable(error);
    String firstLine = firstLine(t.getMessage());
    String text;
    String errorClass = errorClass(t);
    if (errorClass != null) {
      text = firstLine.startsWith("[" + errorClass + "]") ? firstLine : "[" + errorClass + "] " + firstLine;
    } else {
      text = t.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
  }

  private static String errorClass(Throwable t) {
    if (t instanceof PlatformException platform) {
      return platform.errorClass();
    }
    return t instanceof SparkThrowable spark ? spark.getErrorClass() : null;
  }

  /** SQLSTATE of the reported exception, if it has one. */
  public static String sqlState(Throwable error) {
    Throwable t = reportable(error);
    if (t instanceof PlatformException platform) {
      return platform.sqlState();
    }
    if (t instanceof SparkThrowable) {
      return ((SparkThrowable) t).getSqlState();
    }
    if (error instanceof HiveSQLException) {
      return ((HiveSQLException) error).getSQLState();
    }
    return null;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    for (String line : message.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }
}
