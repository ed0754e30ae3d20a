package io.featurelake.gateway.server;

import io.featurelake.gateway.metadata.LakeGetCatalogsOperation;
import io.featurelake.gateway.metadata.LakeGetColumnsOperation;
import io.featurelake.gateway.metadata.LakeGetSchemasOperation;
import io.featurelake.gateway.metadata.LakeGetTablesOperation;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.apache.hive.service.Service;
import org.apache.hive.service.cli.CLIService;
import org.apache.hive.service.cli.OperationHandle;
import org.apache.hive.service.cli.operation.ExecuteStatementOperation;
import org.apache.hive.service.cli.operation.GetCatalogsOperation;
import org.apache.hive.service.cli.operation.GetColumnsOperation;
import org.apache.hive.service.cli.operation.GetSchemasOperation;
import org.apache.hive.service.cli.operation.MetadataOperation;
import org.apache.hive.service.cli.operation.Operation;
import org.apache.hive.service.cli.operation.OperationManager;
import org.apache.hive.service.cli.session.HiveSession;
import org.apache.hive.service.cli.session.SessionManager;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.apache.spark.sql.hive.thriftserver.SparkSQLSessionManager;
import org.apache.spark.sql.hive.thriftserver.server.SparkSQLOperationManager;

/**
 * Spark's operation manager with two changes: metadata calls are answered from the v2 catalogs
 * (so DBeaver sees {@code lake}), and failed statements report one short line instead of a
 * server-side stack trace.
 *
 * <p>Spark offers no hook for this. {@link #install} swaps the manager into the running server's
 * session manager by reflection, before any client connects. Spark's own constructor looks its
 * fields up relative to {@code getClass()}, which is wrong for a subclass, so the operation map
 * and the session contexts of the manager being replaced are carried over explicitly.
 */
public final class LakeOperationManager extends SparkSQLOperationManager {

  /** Replaces the operation manager of a started server; returns the new manager. */
  public static LakeOperationManager install(HiveThriftServer2 server) {
    SessionManager sessionManager = sessionManager(server);
    SparkSQLOperationManager previous = (SparkSQLOperationManager) sessionManager.getOperationManager();
    LakeOperationManager replacement = new LakeOperationManager();
    try {
      Map<OperationHandle, Operation> handles = previous.handleToOperation();
      setField(OperationManager.class, replacement, "handleToOperation", handles);
      setField(SparkSQLOperationManager.class, replacement, "handleToOperation", handles);
      setField(SparkSQLOperationManager.class, replacement, "sessionToContexts", previous.sessionToContexts());
      setField(SessionManager.class, sessionManager, "operationManager", replacement);
      setField(SparkSQLSessionManager.class, sessionManager, "sparkSqlOperationManager", replacement);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot install the gateway's operation manager into Spark's Thrift server "
          + "(Spark version mismatch?): " + e, e);
    }
    return replacement;
  }

  private static SessionManager sessionManager(HiveThriftServer2 server) {
    for (Service service : server.getServices()) {
      if (service instanceof CLIService) {
        return ((CLIService) service).getSessionManager();
      }
    }
    throw new IllegalStateException("The Thrift server has no CLIService");
  }

  private static void setField(Class<?> owner, Object target, String name, Object value) throws ReflectiveOperationException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    field.set(target, value);
  }

  private SQLContext context(HiveSession session) {
    SQLContext context = sessionToContexts().get(session.getSessionHandle());
    if (context == null) {
      throw new IllegalArgumentException("Session " + session.getSessionHandle() + " is not open (closed or never initialized)");
    }
    return context;
  }

  private <T extends Operation> T register(T operation) {
    handleToOperation().put(operation.getHandle(), operation);
    return operation;
  }

  @Override
  public synchronized ExecuteStatementOperation newExecuteStatementOperation(HiveSession session, String statement,
      Map<String, String> confOverlay, boolean async, long queryTimeout) {
    SQLContext context = context(session);
    boolean runInBackground = async
        && Boolean.parseBoolean(context.conf().getConfString("spark.sql.hive.thriftServer.async", "true"));
    return register(new ConciseExecuteStatementOperation(context, session, statement, confOverlay, runInBackground, queryTimeout));
  }

  @Override
  public synchronized GetCatalogsOperation newGetCatalogsOperation(HiveSession session) {
    return register(new LakeGetCatalogsOperation(context(session), session));
  }

  @Override
  public synchronized GetSchemasOperation newGetSchemasOperation(HiveSession session, String catalogName, String schemaName) {
    return register(new LakeGetSchemasOperation(context(session), session, catalogName, schemaName));
  }

  @Override
  public synchronized MetadataOperation newGetTablesOperation(HiveSession session, String catalogName, String schemaName,
      String tableName, List<String> tableTypes) {
    return register(new LakeGetTablesOperation(context(session), session, catalogName, schemaName, tableName, tableTypes));
  }

  @Override
  public synchronized GetColumnsOperation newGetColumnsOperation(HiveSession session, String catalogName, String schemaName,
      String tableName, String columnName) {
    return register(new LakeGetColumnsOperation(context(session), session, catalogName, schemaName, tableName, columnName));
  }
}
