package io.featurelake.gateway.audit;

import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.features.Expectation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The metrics a report keeps next to its checks: per side, the aggregates {@link ColumnAggregates}
 * computed, and the shares of each PSI bin (the very distributions the PSI compared; the web UI
 * draws them).
 */
final class ReportMetrics {

  /** Metric name prefix of a PSI bin's share of one side's values, e.g. {@code bin_share:03 (2, 5]}. */
  static final String BIN_SHARE = "bin_share:";

  private ReportMetrics() {}

  /** The metrics of one side's aggregates (fields a schema change left out are skipped). */
  static List<AuditMetric> of(String side, Row stats, List<String> columns, List<String> numeric,
      List<Expectation> expectations) {
    List<AuditMetric> out = new ArrayList<>();
    if (stats == null) {
      return out;
    }
    long n = stats.getLong(stats.fieldIndex("n"));
    out.add(new AuditMetric(side, "*", "row_count", (double) n));
    for (String c : columns) {
      if (stats.schema().getFieldIndex("nulls__" + c).isEmpty()) {
        continue;
      }
      long nulls = stats.getLong(stats.fieldIndex("nulls__" + c));
      out.add(new AuditMetric(side, c, "null_rate", n == 0 ? null : nulls / (double) n));
    }
    for (String c : numeric) {
      if (stats.schema().getFieldIndex("pct__" + c).isEmpty()) {
        continue;
      }
      out.add(new AuditMetric(side, c, "min", doubleOrNull(stats, "min__" + c)));
      out.add(new AuditMetric(side, c, "max", doubleOrNull(stats, "max__" + c)));
      out.add(new AuditMetric(side, c, "mean", doubleOrNull(stats, "mean__" + c)));
      out.add(new AuditMetric(side, c, "stddev", doubleOrNull(stats, "stddev__" + c)));
      double[] pct = ColumnAggregates.doubles(stats, "pct__" + c);
      int[] reported = ColumnAggregates.REPORTED_PERCENTILES;
      for (int i = 0; i < reported.length; i++) {
        out.add(new AuditMetric(side, c, String.format(Locale.ROOT, "p%02d", reported[i]),
            pct == null || pct.length <= i ? null : pct[i]));
      }
    }
    for (Expectation e : expectations) {
      if (stats.schema().getFieldIndex("expect__" + e.name()).isDefined() && n > 0) {
        out.add(new AuditMetric(side, e.name(), "violation_share",
            stats.getLong(stats.fieldIndex("expect__" + e.name())) / (double) n));
      }
    }
    return out;
  }

  /** Each side's share of its non-NULL values per bin, unsmoothed: what was counted. */
  static List<AuditMetric> binShares(String column, PsiBins bins, long[] runCounts, long[] baselineCounts) {
    if (bins == null || runCounts == null || baselineCounts == null) {
      return List.of();
    }
    List<AuditMetric> out = new ArrayList<>();
    for (var side : List.of(Map.entry("run", runCounts), Map.entry("baseline", baselineCounts))) {
      long[] counts = side.getValue();
      long total = Arrays.stream(counts).sum();
      for (int i = 0; i < counts.length && total > 0; i++) {
        out.add(new AuditMetric(side.getKey(), column, BIN_SHARE + binLabel(bins.edges(), i), counts[i] / (double) total));
      }
    }
    return out;
  }

  /** "00 <= 3", "01 = 4" (one integer value), "02 (4, 7.5]", "09 > 120": ordered by the index. */
  static String binLabel(double[] edges, int i) {
    String range;
    if (i == 0) {
      range = "<= " + number(edges[0]);
    } else if (i == edges.length) {
      range = "> " + number(edges[i - 1]);
    } else if (edges[i] == Math.rint(edges[i]) && edges[i - 1] == Math.rint(edges[i - 1]) && edges[i] - edges[i - 1] == 1) {
      range = "= " + number(edges[i]);
    } else {
      range = "(" + number(edges[i - 1]) + ", " + number(edges[i]) + "]";
    }
    return String.format(Locale.ROOT, "%02d %s", i, range);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
  }

  private static Double doubleOrNull(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? null : ((Number) row.get(i)).doubleValue();
  }
}
