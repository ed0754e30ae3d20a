package io.featurelake.gateway.server;

import io.featurelake.gateway.errors.ConciseHiveSQLException;
import io.featurelake.gateway.errors.Sneaky;
import io.featurelake.gateway.session.Platform;
import java.util.Map;
import org.apache.hive.service.cli.HiveSQLException;
import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.SparkExecuteStatementOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's statement operation, except that a failure reaches the client as one short line
 * (error class and first message line) while the full trace goes to the server log.
 */
final class ConciseExecuteStatementOperation extends SparkExecuteStatementOperation {

  /** Failed statements are the users' errors: logged at INFO to the log file, not the console. */
  private static final Logger LOG = LoggerFactory.getLogger("io.featurelake.gateway.statements");

  private final String statementText;

  ConciseExecuteStatementOperation(SQLContext sqlContext, HiveSession parentSession, String statement,
      Map<String, String> confOverlay, boolean runInBackground, long queryTimeout) {
    super(sqlContext, parentSession, statement, confOverlay, runInBackground, queryTimeout);
    this.statementText = statement;
  }

  /** Asynchronous path: the background thread records the failure here. */
  @Override
  protected void setOperationException(HiveSQLException error) {
    super.setOperationException(shorten(error));
  }

  /**
   * {@code Statement.cancel()}: a backfill this statement waits for ends "cancelled by" the
   * session's user (recorded before Spark cancels the statement's jobs, so the run's error path
   * finds it cancelled rather than failed).
   */
  @Override
  public void cancel() {
    try {
      Platform.current().runs().statementCancelled(statementId(), getParentSession().getUserName());
    } catch (RuntimeException e) {
      LOG.warn("Could not record the cancel of statement {} with its runs", statementId(), e);
    }
    super.cancel();
  }

  /** Synchronous path: the failure is thrown to the Thrift service. */
  @Override
  public void runInternal() {
    try {
      super.runInternal();
    } catch (Exception e) {
      throw Sneaky.raise(shorten(e));
    }
  }

  private HiveSQLException shorten(Throwable error) {
    if (error == null || error instanceof ConciseHiveSQLException) {
      return (HiveSQLException) error;
    }
    ConciseHiveSQLException concise = ConciseHiveSQLException.of(error);
    // No trace here: Spark's own ERROR line of the same failure (this class's logger) carries it.
    LOG.info("Statement failed: {} -- reported to the client as: {}", oneLine(statementText), concise.getMessage());
    return concise;
  }

  private static String oneLine(String sql) {
    String flat = sql.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 297) + "..." : flat;
  }
}
