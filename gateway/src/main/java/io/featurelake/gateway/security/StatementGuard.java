package io.featurelake.gateway.security;

import io.featurelake.sqlcatalog.security.AccessControl;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.sqlcatalog.security.Role;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Analyzer check rule for client SQL (installed by {@code CallStatementExtension}): runs after a
 * statement is analysed and before anything executes, so a refused statement changes nothing.
 * Write-Audit-Publish holds for everyone but admin: no DML or DDL on {@code lake.features.*}
 * (branches included) and no Iceberg procedure that moves or rewrites a feature table. Readers
 * and operators write nothing; a disabled account runs nothing. Reads, metadata tables and time
 * travel pass for every enabled user. The platform's own services run trusted ({@link SessionUser}).
 */
public final class StatementGuard extends AbstractFunction1<LogicalPlan, BoxedUnit> {

  private final SparkSession session;

  public StatementGuard(SparkSession session) {
    this.session = session;
  }

  @Override
  public BoxedUnit apply(LogicalPlan plan) {
    if (SessionUser.checked()) {
      check(plan);
    }
    return BoxedUnit.UNIT;
  }

  private void check(LogicalPlan plan) {
    AccessControl access = GatewaySecurity.access();
    Principal who = access.principal(SessionUser.client());
    if (who.role() == null) {
      throw GatewaySecurity.denied(access.refuse(who, "statement", null,
          who.describe() + " may run no statement; an admin can enable_user it"));
    }
    StatementWrites writes = StatementWrites.of(plan, session);
    if (writes == null) {
      return;
    }
    String action = "sql " + writes.verb();
    if (who.isAdmin()) {
      if (writes.writesFeatureTable() || !writes.attributed()) {
        access.allowedOutOfBand(who, action, writes.targetText());
      }
      return;
    }
    if (writes.writesFeatureTable()) {
      TableRef table = writes.firstFeatureTable();
      throw refuse(access, who, action, writes, table + " changes only through Write-Audit-Publish, so " + who.describe()
          + " may not run " + writes.verb() + " on it; use CALL lake.platform.start_backfill(feature_view => '"
          + table.featureView() + "', start_date => ..., end_date => ...)");
    }
    if (!writes.attributed()) {
      throw refuse(access, who, action, writes, who.describe() + " may not run " + writes.verb() + ": only "
          + Role.holdersOf(Permission.DIRECT_WRITE) + " may run statements that change anything but tables of the lake catalog");
    }
    if (!who.may(Permission.WRITE_OTHER_TABLES)) {
      throw refuse(access, who, action, writes, who.describe() + " may not run " + writes.verb() + " on "
          + writes.targetText() + "; writing tables needs role " + Role.holdersOf(Permission.WRITE_OTHER_TABLES));
    }
  }

  private static RuntimeException refuse(AccessControl access, Principal who, String action, StatementWrites writes,
      String message) {
    return GatewaySecurity.denied(access.refuse(who, action, writes.targetText(), message));
  }
}
