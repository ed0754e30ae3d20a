package io.featurelake.sqlcatalog.audit;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored audit report, bound to the exact snapshot it audited. A FAILED report whose run was
 * published anyway carries who overrode it and why ({@code overrideBy}, {@code overrideReason}).
 */
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
    List<AuditMetric> metrics,
    String overrideBy,
    String overrideReason) {

  public String verdict() {
    return passed ? "PASSED" : "FAILED";
  }

  public List<AuditCheck> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /**
   * The report's verdict line: verdict, counts, and what the drift checks compared with, e.g.
   * {@code PASSED: 12 passed, 0 failed, 6 SKIPPED (drift checks SKIPPED: no published data on main
   * (first publish): nothing to compare with)}.
   */
  public String verdictLine() {
    long skipped = checks.stream().filter(AuditCheck::skipped).count();
    long failed = checks.stream().filter(c -> !c.passed()).count();
    String counts = verdict() + ": " + (checks.size() - skipped - failed) + " passed, " + failed + " failed"
        + (skipped == 0 ? "" : ", " + skipped + " SKIPPED");
    if (overrideReason != null) {
      counts += "; OVERRIDDEN by " + overrideBy + ": " + overrideReason;
    }
    if (baselineSnapshotId == null) {
      String reason = checks.stream().filter(c -> c.skipped() && ("psi".equals(c.name()) || "row_count_change".equals(c.name())))
          .map(c -> c.detail().substring(AuditCheck.SKIPPED_PREFIX.length())).findFirst().orElse("no baseline");
      return counts + " (drift checks SKIPPED: " + reason + ")";
    }
    return counts + " (baseline: " + baselineKind.replace('_', ' ') + " " + baselineStart + ".." + baselineEnd.minusDays(1)
        + ", " + baselineRowCount + " rows, main@" + baselineSnapshotId + ")";
  }
}
