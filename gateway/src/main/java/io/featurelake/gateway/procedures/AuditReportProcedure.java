package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.audit_report(run_id => 42 [, metrics => false])}: the latest report
 * of a run, one row per check (observed, threshold, verdict, detail), or per metric; every row
 * also carries the report's verdict line (counts, SKIPPED drift checks and why, the baseline, an
 * override).
 */
public final class AuditReportProcedure extends PlatformProcedure {

  public static final String NAME = "audit_report";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run whose latest audit report to show");
  static final ProcedureParam METRICS = ProcedureParam.optionalBoolean("metrics", false,
      "true: one row per computed metric (run and baseline) instead of per check");

  private static final StructType OUTPUT = new StructType()
      .add("report_id", DataTypes.LongType, false)
      .add("snapshot_id", DataTypes.LongType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("check", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, true)
      .add("observed", DataTypes.DoubleType, true)
      .add("threshold", DataTypes.DoubleType, true)
      .add("passed", DataTypes.BooleanType, true)
      .add("detail", DataTypes.StringType, true)
      .add("report_summary", DataTypes.StringType, false);

  private final ProcedureServices services;

  public AuditReportProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID, METRICS), OUTPUT, "Checks (or metrics) of the latest audit report of a run");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    AuditReport report = services.core().audits().latestOfRun(args.longValue(RUN_ID));
    List<Object[]> rows = new ArrayList<>();
    if (args.booleanValue(METRICS)) {
      for (AuditMetric m : report.metrics()) {
        rows.add(new Object[] {report.reportId(), report.snapshotId(), report.verdict(), m.side() + "." + m.metric(),
            m.column(), m.value(), null, null, null, report.verdictLine()});
      }
    } else {
      for (AuditCheck c : report.checks()) {
        rows.add(new Object[] {report.reportId(), report.snapshotId(), report.verdict(), c.name(), c.column(), c.observed(),
            c.threshold(), c.passed(), c.detail(), report.verdictLine()});
      }
    }
    return rows;
  }
}
