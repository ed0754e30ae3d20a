package io.featurelake.gateway.errors;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.hive.service.cli.HiveSQLException;

/**
 * A {@link HiveSQLException} without cause or stack trace. The Thrift service sends
 * {@code printStackTrace()} of an operation's exception to the client; this one prints only its
 * one-line message.
 */
public final class ConciseHiveSQLException extends HiveSQLException {
  private static final long serialVersionUID = 1L;

  public ConciseHiveSQLException(String message, String sqlState) {
    super(message, sqlState);
    setStackTrace(new StackTraceElement[0]);
  }

  public static ConciseHiveSQLException of(Throwable error) {
    if (error instanceof ConciseHiveSQLException) {
      return (ConciseHiveSQLException) error;
    }
    return new ConciseHiveSQLException(ConciseErrors.message(error), ConciseErrors.sqlState(error));
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  @Override
  public String toString() {
    return getMessage();
  }

  @Override
  public void printStackTrace(PrintWriter s) {
    s.print(getMessage());
  }

  @Override
  public void printStackTrace(PrintStream s) {
    s.print(getMessage());
  }
}
