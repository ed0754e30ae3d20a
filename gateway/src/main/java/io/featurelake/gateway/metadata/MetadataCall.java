package io.featurelake.gateway.metadata;

import io.featurelake.gateway.errors.ConciseHiveSQLException;
import io.featurelake.gateway.errors.Sneaky;
import org.apache.hive.service.cli.HiveSQLException;
import org.apache.hive.service.cli.OperationState;
import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2$;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bookkeeping every metadata operation shares: state, Spark UI events, concise errors. */
final class MetadataCall {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataCall.class);

  /** What a metadata operation does once it is running. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** {@code Operation.setState}, which declares a checked exception. */
  @FunctionalInterface
  interface StateSetter {
    void set(OperationState state) throws HiveSQLException;
  }

  private MetadataCall() {}

  private static void set(StateSetter setter, OperationState state) {
    try {
      setter.set(state);
    } catch (HiveSQLException e) {
      throw Sneaky.raise(e);
    }
  }

  static void run(String description, String statementId, HiveSession session,
      StateSetter setState, Body body) {
    LOG.info("{} ({})", description, statementId);
    set(setState, OperationState.RUNNING);
    var events = HiveThriftServer2$.MODULE$.eventManager();
    if (events != null) {
      events.onStatementStart(statementId, session.getSessionHandle().getSessionId().toString(),
          description, statementId, session.getUsername());
    }
    try {
      body.run();
      set(setState, OperationState.FINISHED);
      if (events != null) {
        events.onStatementFinish(statementId);
      }
    } catch (Exception | LinkageError e) {
      LOG.warn("{} failed", description, e);
      set(setState, OperationState.ERROR);
      if (events != null) {
        events.onStatementError(statementId, String.valueOf(e.getMessage()), e.toString());
      }
      throw Sneaky.raise(ConciseHiveSQLException.of(e));
    }
  }
}
