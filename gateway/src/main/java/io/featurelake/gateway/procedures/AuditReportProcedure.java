package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CALL lake.platform.audit_report(run_id => 42 [, metrics => false])}: the latest report
 * of a run, one row per check (observed, threshold, verdict, detail), or per metric; every row
 * also carries the report's verdict line (counts, SKIPPED drift checks and why, the baseline, an
 * override).
 */
public final class AuditReportProcedure extends TypedProcedure<AuditReportProcedure.Row> {

  public static final String NAME = "audit_report";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run whose latest audit report to show");
  static final ProcedureParam METRICS = ProcedureParam.optionalBoolean("metrics", false,
      "true: one row per computed metric (run and baseline) instead of per check");

  /** One check (or metric) of the report: the columns, declared once. */
  public record Row(long reportId, long snapshotId, @Required String verdict, @Required String check, String column,
      Double observed, Double threshold, Boolean passed, String detail, @Required String reportSummary) {}

  private final ProcedureServices services;

  public AuditReportProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID, METRICS), RowSchema.of(Row.class), "Checks (or metrics) of the latest audit report of a run");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    AuditReport report = services.core().audits().latestOfRun(args.longValue(RUN_ID));
    List<Row> rows = new ArrayList<>();
    if (args.booleanValue(METRICS)) {
      for (AuditMetric m : report.metrics()) {
        rows.add(new Row(report.reportId(), report.snapshotId(), report.verdict(), m.side() + "." + m.metric(), m.column(),
            m.value(), null, null, null, report.verdictLine()));
      }
    } else {
      for (AuditCheck c : report.checks()) {
        rows.add(new Row(report.reportId(), report.snapshotId(), report.verdict(), c.name(), c.column(), c.observed(),
            c.threshold(), c.passed(), c.detail(), report.verdictLine()));
      }
    }
    return rows;
  }
}
