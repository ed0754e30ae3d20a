package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.audit_report(run_id => 42 [, metrics => false])}: the latest report
 * of a run, one row per check (observed, threshold, verdict, detail), or per metric.
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
      .add("detail", DataTypes.StringType, true);

  public AuditReportProcedure() {
    super(NAME, List.of(RUN_ID, METRICS), OUTPUT, "Checks (or metrics) of the latest audit report of a run");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    long runId = args.longValue(RUN_ID);
    var service = ProcedureContext.backfills();
    BackfillRun run = service.runs().find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
    List<Long> ids = service.reports().reportIdsOfRun(runId);
    if (ids.isEmpty()) {
      throw PlatformException.invalidState("Run %d has no audit report yet (state %s)", runId, run.state());
    }
    AuditReport report = service.reports().find(ids.get(0)).orElseThrow();
    List<Object[]> rows = new ArrayList<>();
    if (args.booleanValue(METRICS)) {
      for (AuditMetric m : report.metrics()) {
        rows.add(new Object[] {report.reportId(), report.snapshotId(), report.verdict(), m.side() + "." + m.metric(),
            m.column(), m.value(), null, null, null});
      }
    } else {
      for (AuditCheck c : report.checks()) {
        rows.add(new Object[] {report.reportId(), report.snapshotId(), report.verdict(), c.name(), c.column(), c.observed(),
            c.threshold(), c.passed(), c.detail()});
      }
    }
    return rows;
  }
}
