package io.featurelake.sqlcatalog.audit;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A stored audit report, bound to the exact snapshot it audited. */
public record AuditReport(
    long reportId,
    long runId,
    String tableName,
    long snapshotId,
    String baselineKind,
    Long baselineSnapshotId,
    LocalDate baselineStart,
    LocalDate baselineEnd,
    long rowCount,
    Long baselineRowCount,
    boolean passed,
    int failedChecks,
    OffsetDateTime createdAt,
    long durationMs,
    List<AuditCheck> checks,
    List<AuditMetric> metrics) {

  public String verdict() {
    return passed ? "PASSED" : "FAILED";
  }

  public List<AuditCheck> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }
}
