package io.featurelake.gateway.audit;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.features.Expectation;
import java.util.Arrays;
import java.util.Locale;

/**
 * The audit's rules: from measured figures (counts, rates, bin counts) to a verdict and the line a
 * person reads. No Spark here: {@link AuditService} gathers the figures, these decide, and each rule
 * is unit-tested with its exact wording ({@code AuditChecksTest}, {@code PsiTest}).
 */
public final class AuditChecks {

  /** Below this many values on either side, sampling noise alone exceeds common PSI thresholds. */
  static final long PSI_MIN_ROWS = 100;
  static final String FIRST_PUBLISH = "no published data on main (first publish): nothing to compare with";

  private AuditChecks() {}

  static AuditCheck rowCount(long n, long minimum) {
    boolean ok = n >= minimum;
    return new AuditCheck("row_count", null, (double) n, (double) minimum, ok,
        ok ? n + " rows >= minimum " + minimum : n + " rows < minimum " + minimum + " (short by " + (minimum - n) + ")");
  }

  /**
   * Rows per covered day against the baseline's: a 5-day run is not a 400% jump over a 1-day
   * baseline. {@code baselineRows} is null without a baseline (the first publish).
   */
  static AuditCheck rowCountChange(double limit, Long baselineRows, long n, int runDays, int baselineDays, String against) {
    if (baselineRows == null) {
      return AuditCheck.skipped("row_count_change", null, limit, FIRST_PUBLISH);
    }
    if (baselineRows == 0) {
      return AuditCheck.skipped("row_count_change", null, limit, "the " + against + " has no rows");
    }
    double runPerDay = n / (double) Math.max(1, runDays);
    double basePerDay = baselineRows / (double) Math.max(1, baselineDays);
    double change = Math.abs(runPerDay - basePerDay) / basePerDay;
    boolean ok = change <= limit;
    return new AuditCheck("row_count_change", null, change, limit, ok,
        String.format(Locale.ROOT, "%.0f rows/day over %d day(s) vs %.0f rows/day in the %s: %s%.1f%% %s %.1f%% allowed",
            runPerDay, Math.max(1, runDays), basePerDay, against, runPerDay >= basePerDay ? "+" : "-", change * 100,
            ok ? "<=" : ">", limit * 100));
  }

  static AuditCheck duplicateKeys(String keyColumns, long duplicates, long allowed) {
    boolean ok = duplicates <= allowed;
    return new AuditCheck("duplicate_keys", keyColumns, (double) duplicates, (double) allowed, ok,
        duplicates + " duplicate (entity, timestamp) keys " + (ok ? "<= " : "> ") + allowed + " allowed");
  }

  static AuditCheck nullRate(String column, long nulls, long n, double limit) {
    double rate = nulls / (double) n;
    boolean ok = rate <= limit;
    return new AuditCheck("null_rate", column, rate, limit, ok, String.format(Locale.ROOT,
        "%.1f%% NULL %s %.1f%% allowed%s", rate * 100, ok ? "<=" : ">", limit * 100,
        ok ? "" : String.format(Locale.ROOT, " (by %.1f points)", (rate - limit) * 100)));
  }

  static AuditCheck expectation(Expectation e, long violations, long n) {
    double share = violations / (double) n;
    boolean ok = share <= e.maxFailureShare();
    return new AuditCheck("expectation", e.name(), share, e.maxFailureShare(), ok, String.format(Locale.ROOT,
        "%d of %d rows (%.2f%%) violate %s; %s %.2f%% allowed", violations, n, share * 100, e.sql(), ok ? "<=" : ">",
        e.maxFailureShare() * 100));
  }

  /**
   * PSI of one column on exact bin counts. {@code baselineExists} false is the first publish;
   * null bins or counts mean the baseline had no value of the column. Listed as SKIPPED, with the
   * reason, whenever a figure would not mean anything.
   */
  static AuditCheck psi(String column, double limit, boolean baselineExists, PsiBins bins, long[] runCounts,
      long[] baselineCounts, String against) {
    if (!baselineExists) {
      return AuditCheck.skipped("psi", column, limit, FIRST_PUBLISH);
    }
    if (bins == null || runCounts == null || baselineCounts == null) {
      return AuditCheck.skipped("psi", column, limit, "the " + against + " has no values of " + column);
    }
    long runValues = Arrays.stream(runCounts).sum();
    long baseValues = Arrays.stream(baselineCounts).sum();
    if (runValues < PSI_MIN_ROWS || baseValues < PSI_MIN_ROWS) {
      return AuditCheck.skipped("psi", column, limit, String.format(Locale.ROOT, "%d run values and %d baseline values "
          + "(%s); PSI needs at least %d on each side to mean anything", runValues, baseValues, against, PSI_MIN_ROWS));
    }
    double noise = bins.expectedNoise(runValues, baseValues);
    if (noise > limit / 2) {
      return AuditCheck.skipped("psi", column, limit, String.format(Locale.ROOT, "%d run values and %d baseline values "
          + "over %s (%s): sampling noise alone would give PSI about %.3f, more than half the %.3f allowed", runValues,
          baseValues, bins.describe(), against, noise, limit));
    }
    double psi = PsiBins.psi(runCounts, baselineCounts);
    boolean ok = psi <= limit;
    return new AuditCheck("psi", column, psi, limit, ok, String.format(Locale.ROOT, "PSI %.3f %s %.3f allowed over %s vs %s%s",
        psi, ok ? "<=" : ">", limit, bins.describe(), against,
        ok ? "" : String.format(Locale.ROOT, " (by %.3f)", psi - limit)));
  }
}
