package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.security.AuditEntry;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Principal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code CALL lake.platform.audit_log([user => 'rita', action => 'call publish', limit => 50])}:
 * privileged and refused actions, newest first. An admin sees everyone's; anyone else their own.
 */
public final class AuditLogProcedure extends TypedProcedure<AuditLogProcedure.Row> {

  public static final String NAME = "audit_log";

  static final ProcedureParam USER = ProcedureParam.optionalString("user", null,
      "Only this user's entries (admins only; others always see their own)");
  static final ProcedureParam ACTION = ProcedureParam.optionalString("action", null,
      "Only this action, e.g. 'call publish', 'sql INSERT', 'login'");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 50, "At most this many entries (1 to 10000)");

  /** One entry: the columns, declared once. */
  public record Row(long entryId, @Required OffsetDateTime at, @Required String userName, String role,
      @Required String action, String target, @Required String outcome, String detail) {}

  private final ProcedureServices services;

  public AuditLogProcedure(ProcedureServices services) {
    super(NAME, List.of(USER, ACTION, LIMIT), RowSchema.of(Row.class),
        "Who did what: privileged and refused actions, newest first");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("%s: limit must be between 1 and 10000, got %d", args.procedure(), limit);
    }
    Principal who = services.principal();
    String user = who.may(Permission.MANAGE_USERS) ? args.string(USER) : who.name();
    return services.access().auditLog().list(user, args.string(ACTION), limit).stream().map(AuditLogProcedure::row).toList();
  }

  private static Row row(AuditEntry e) {
    return new Row(e.entryId(), e.at(), e.user(), e.role(), e.action(), e.target(), e.outcome().name(), e.detail());
  }
}
