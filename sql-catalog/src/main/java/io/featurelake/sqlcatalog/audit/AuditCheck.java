package io.featurelake.sqlcatalog.audit;

/**
 * One check of an audit: its name (row_count, null_rate, duplicate_keys, schema, psi,
 * row_count_change, expectation), the column (or expectation name) it looked at (null for
 * table-level checks), the observed value, the threshold, the verdict and a sentence saying by
 * how much it passed or failed. A check that could not be made (no baseline to compare with) is
 * listed as SKIPPED: passed, no observed value, and a detail starting with {@code SKIPPED: } and
 * the reason.
 */
public record AuditCheck(String name, String column, Double observed, Double threshold, boolean passed, String detail) {

  public static final String SKIPPED_PREFIX = "SKIPPED: ";

  /** A check that was not made, and why. */
  public static AuditCheck skipped(String name, String column, Double threshold, String reason) {
    return new AuditCheck(name, column, null, threshold, true, SKIPPED_PREFIX + reason);
  }

  public boolean skipped() {
    return observed == null && detail != null && detail.startsWith(SKIPPED_PREFIX);
  }

  /** PASS, FAIL or SKIP, as reports show it. */
  public String status() {
    return skipped() ? "SKIP" : passed ? "PASS" : "FAIL";
  }
}
