package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.audit_branch(run_id => 42)}: re-audit the branch head of a run. */
public final class AuditBranchProcedure extends PlatformProcedure {

  public static final String NAME = "audit_branch";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run whose branch to audit (PASSED or AUDITING)");

  private static final StructType OUTPUT = new StructType()
      .add("report_id", DataTypes.LongType, false)
      .add("run_id", DataTypes.LongType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("snapshot_id", DataTypes.LongType, false)
      .add("row_count", DataTypes.LongType, false)
      .add("checks", DataTypes.IntegerType, false)
      .add("failed_checks", DataTypes.IntegerType, false)
      .add("failures", DataTypes.StringType, true);

  private final ProcedureServices services;

  public AuditBranchProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), OUTPUT, "Audit the branch head of a run again and store a new report");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    AuditReport r = services.backfills().audit(args.longValue(RUN_ID), services::progress);
    String failures = r.failures().stream().map(AuditBranchProcedure::describe).collect(Collectors.joining("; "));
    return List.<Object[]>of(new Object[] {r.reportId(), r.runId(), r.verdict(), r.snapshotId(), r.rowCount(),
        r.checks().size(), r.failedChecks(), failures.isEmpty() ? null : failures});
  }

  static String describe(AuditCheck c) {
    return c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail();
  }
}
