package io.featurelake.gateway.backfill;

import io.featurelake.gateway.alerts.AlertSender;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alerts a backfill run raises, with their payloads: a failed audit, a refused publish, an override. */
final class RunAlerts {

  private static final Logger LOG = LoggerFactory.getLogger(RunAlerts.class);

  private final AlertSender alerts;
  private final FeatureViewCatalog views;

  RunAlerts(AlertSender alerts, FeatureViewCatalog views) {
    this.alerts = alerts;
    this.views = views;
  }

  /** The one-line summary of a report's failed checks, e.g. {@code psi(revenue): PSI 0.412 > 0.250 ...}. */
  static String failureSummary(AuditReport report) {
    return report.failures().stream()
        .map(c -> c.name() + (c.column() == null ? "" : "(" + c.column() + ")") + ": " + c.detail())
        .reduce((a, b) -> a + "; " + b).orElse("");
  }

  void auditFailed(BackfillRun run, String owner, AuditReport report, long auditedSnapshot, long mainSnapshot) {
    List<Map<String, Object>> failed = new ArrayList<>();
    for (AuditCheck c : report.failures()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("check", c.name());
      f.put("column", c.column());
      f.put("observed", c.observed());
      f.put("threshold", c.threshold());
      f.put("detail", c.detail());
      failed.add(f);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("feature_view", run.featureView());
    fields.put("table", run.tableName());
    fields.put("window", run.window());
    fields.put("report_id", report.reportId());
    fields.put("audited_snapshot_id", auditedSnapshot);
    fields.put("main_snapshot_id", mainSnapshot);
    fields.put("failed_checks", failed);
    alerts.raise(run.runId(), run.featureView(), owner, "AUDIT_FAILED", "Backfill run " + run.runId() + " of "
        + run.featureView() + " " + run.window() + " failed its audit (report " + report.reportId() + "): "
        + failureSummary(report), fields);
  }

  /** A refused or failed publish; recorded quietly (the caller is already failing with its own error). */
  void publishRefused(BackfillRun run, String why) {
    try {
      alerts.raise(run.runId(), run.featureView(), ownerOf(run.featureView()), "PUBLISH_REFUSED", "Publish of run "
          + run.runId() + " of " + run.featureView() + " " + run.window() + " refused: " + why, Map.of("window", run.window()));
    } catch (RuntimeException e) {
      LOG.warn("Could not raise the PUBLISH_REFUSED alert of run {}", run.runId(), e);
    }
  }

  void auditOverride(BackfillRun run, AuditReport report, String by, String reason, long published) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("feature_view", run.featureView());
    fields.put("window", run.window());
    fields.put("report_id", report.reportId());
    fields.put("override_by", by);
    fields.put("override_reason", reason);
    fields.put("published_snapshot_id", published);
    alerts.raise(run.runId(), run.featureView(), ownerOf(run.featureView()), "AUDIT_OVERRIDE", "Run " + run.runId()
        + " of " + run.featureView() + " " + run.window() + " published despite its FAILED audit (report "
        + report.reportId() + "), override by " + by + ": " + reason, fields);
  }

  /** The view's owner, or null when its definition cannot be read any more. */
  private String ownerOf(String view) {
    try {
      return views.load(view).owner();
    } catch (RuntimeException gone) {
      return null;
    }
  }
}
