package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import java.util.List;
import java.util.stream.Collectors;

/** {@code CALL lake.platform.audit_branch(run_id => 42)}: re-audit the branch head of a run. */
public final class AuditBranchProcedure extends TypedProcedure<AuditBranchProcedure.Row> {

  public static final String NAME = "audit_branch";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run whose branch to audit (PASSED or AUDITING)");

  /** The new report in brief: the columns, declared once. */
  public record Row(long reportId, long runId, @Required String verdict, long snapshotId, long rowCount, int checks,
      int failedChecks, String failures) {}

  private final ProcedureServices services;

  public AuditBranchProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RowSchema.of(Row.class), "Audit the branch head of a run again and store a new report");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    AuditReport r = services.backfills().audit(args.longValue(RUN_ID), services::progress);
    String failures = r.failures().stream().map(AuditBranchProcedure::describe).collect(Collectors.joining("; "));
    return List.of(new Row(r.reportId(), r.runId(), r.verdict(), r.snapshotId(), r.rowCount(), r.checks().size(),
        r.failedChecks(), failures.isEmpty() ? null : failures));
  }

  static String describe(AuditCheck c) {
    return c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail();
  }
}
