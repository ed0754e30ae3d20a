package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.security.GatewaySecurity;
import io.featurelake.sqlcatalog.security.AuditEntry;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Principal;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.audit_log([user => 'rita', action => 'call publish', limit => 50])}:
 * privileged and refused actions, newest first. An admin sees everyone's; anyone else their own.
 */
public final class AuditLogProcedure extends PlatformProcedure {

  public static final String NAME = "audit_log";

  static final ProcedureParam USER = ProcedureParam.optionalString("user", null,
      "Only this user's entries (admins only; others always see their own)");
  static final ProcedureParam ACTION = ProcedureParam.optionalString("action", null,
      "Only this action, e.g. 'call publish', 'sql INSERT', 'login'");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 50, "At most this many entries (1 to 10000)");

  private static final StructType OUTPUT = new StructType()
      .add("entry_id", DataTypes.LongType, false)
      .add("at", DataTypes.StringType, false)
      .add("user_name", DataTypes.StringType, false)
      .add("role", DataTypes.StringType, true)
      .add("action", DataTypes.StringType, false)
      .add("target", DataTypes.StringType, true)
      .add("outcome", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, true);

  public AuditLogProcedure() {
    super(NAME, List.of(USER, ACTION, LIMIT), OUTPUT, "Who did what: privileged and refused actions, newest first");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("%s: limit must be between 1 and 10000, got %d", args.procedure(), limit);
    }
    Principal who = GatewaySecurity.principal();
    String user = who.may(Permission.MANAGE_USERS) ? args.string(USER) : who.name();
    return GatewaySecurity.access().auditLog().list(user, args.string(ACTION), limit).stream()
        .map(AuditLogProcedure::row).toList();
  }

  private static Object[] row(AuditEntry e) {
    return new Object[] {e.entryId(), e.at().toString(), e.user(), e.role(), e.action(), e.target(), e.outcome().name(),
        e.detail()};
  }
}
