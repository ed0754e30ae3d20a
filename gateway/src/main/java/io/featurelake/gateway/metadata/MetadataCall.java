package io.featurelake.gateway.metadata;

import io.featurelake.gateway.errors.ConciseHiveSQLException;
import io.featurelake.gateway.errors.Sneaky;
import io.featurelake.gateway.security.GatewaySecurity;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
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

  /**
   * Runs one metadata operation; {@code jdbcCall} names it for a refusal ({@code getTables}):
   * metadata follows the read grant, so a disabled account's open session lists nothing.
   */
  static void run(String jdbcCall, String description, String statementId, HiveSession session,
      StateSetter setState, Body body) {
    LOG.info("{} ({})", description, statementId);
    set(setState, OperationState.RUNNING);
    var events = HiveThriftServer2$.MODULE$.eventManager();
    if (events != null) {
      events.onStatementStart(statementId, session.getSessionHandle().getSessionId().toString(),
          description, statementId, session.getUsername());
    }
    try {
      GatewaySecurity.requireRead(session.getUsername(), jdbcCall);
      body.run();
      set(setState, OperationState.FINISHED);
      if (events != null) {
        events.onStatementFinish(statementId);
      }
    } catch (Exception | LinkageError e) {
      if (e instanceof PlatformException p && p.code() == ErrorCode.PERMISSION_DENIED) {
        LOG.info("{} refused: {}", description, p.getMessage()); // recorded in audit_log; not a fault
      } else {
        LOG.warn("{} failed", description, e);
      }
      set(setState, OperationState.ERROR);
      if (events != null) {
        events.onStatementError(statementId, String.valueOf(e.getMessage()), e.toString());
      }
      throw Sneaky.raise(ConciseHiveSQLException.of(e));
    }
  }
}
