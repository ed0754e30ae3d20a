package io.featurelake.gateway.security;

import io.featurelake.sqlcatalog.security.AccessControl;
import io.featurelake.sqlcatalog.security.AccessDeniedException;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.sqlcatalog.security.ProcedureGrants;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Wraps every {@code lake.platform.*} call: the grant check before it runs (with the session's
 * user; a cancel-your-own procedure with the owner of its run), the audit log entry of a
 * privileged call and how it ended, and the platform's own work
 * run trusted (its writes are the Write-Audit-Publish path).
 */
public final class ProcedureAccess {

  private ProcedureAccess() {}

  public static <T> T call(String procedure, Map<String, Object> args, Supplier<T> work) {
    AccessControl access = GatewaySecurity.access();
    Principal who = GatewaySecurity.principal();
    long entry;
    try {
      entry = access.beginProcedure(who, procedure, args, describe(procedure, args), runOwner(procedure, args));
    } catch (AccessDeniedException e) {
      throw GatewaySecurity.denied(e);
    }
    try {
      T result = SessionUser.trusted(work);
      access.finished(entry, true, null);
      return result;
    } catch (RuntimeException | Error e) {
      access.finished(entry, false, e.getMessage());
      throw e;
    }
  }

  /** Who started the run a cancel-your-own procedure names (null: not such a call, or no such run). */
  private static String runOwner(String procedure, Map<String, Object> args) {
    if (!ProcedureGrants.ownRunOnly(procedure) || !(args.get("run_id") instanceof Long runId)) {
      return null;
    }
    return new RunRepository(Platform.current().catalogDatabase()).find(runId).map(BackfillRun::startedBy).orElse(null);
  }

  /** {@code lake.platform.publish(run_id => 42)}, strings quoted as Spark SQL writes them (passwords are never arguments). */
  static String describe(String procedure, Map<String, Object> args) {
    StringJoiner joiner = new StringJoiner(", ", "lake.platform." + procedure + "(", ")");
    args.forEach((name, value) -> {
      if (value != null) {
        joiner.add(name + " => " + (value instanceof String text ? quote(text) : value));
      }
    });
    return joiner.toString();
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
