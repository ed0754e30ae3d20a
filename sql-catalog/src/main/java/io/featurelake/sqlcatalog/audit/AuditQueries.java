package io.featurelake.sqlcatalog.audit;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import java.util.List;
import javax.sql.DataSource;

/** Audit reports (every check and every metric) and alerts, as a person reads them. */
public final class AuditQueries {

  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final AlertRepository alerts;

  public AuditQueries(DataSource db) {
    this.runs = new RunRepository(db);
    this.reports = new AuditReportRepository(db);
    this.alerts = new AlertRepository(db);
  }

  /**
   * The latest report of a run (a run is audited again after a rebase or on request).
   * NOT_FOUND for an unknown run; INVALID_STATE while it has none yet.
   */
  public AuditReport latestOfRun(long runId) {
    BackfillRun run = runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
    List<Long> ids = reports.reportIdsOfRun(runId);
    if (ids.isEmpty()) {
      throw PlatformException.invalidState("Run %d has no audit report yet (state %s)", runId, run.state());
    }
    return report(ids.get(0));
  }

  /** Ids of a run's reports, newest first. */
  public List<Long> reportIdsOfRun(long runId) {
    return reports.reportIdsOfRun(runId);
  }

  /** One report; NOT_FOUND when there is none of that id. */
  public AuditReport report(long reportId) {
    return reports.find(reportId).orElseThrow(() -> PlatformException.notFound("Unknown audit report %d", reportId));
  }

  /** Alerts, newest first; {@code runId} null = of every run. */
  public Page<AlertRepository.Alert> alerts(Long runId, PageRequest page) {
    return alerts.page(runId, page);
  }
}
