package io.featurelake.gateway.audit;

import io.featurelake.gateway.lake.WindowScan;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.lake.Lineage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * PSI bins kept with the rows they were fixed from, so the next run need not read those rows again.
 *
 * <p>A run's write observes, besides its audit aggregates, the same distinct values and deciles a
 * pass over its rows as a baseline would compute (not when its own bins were carried,
 * {@link CarriedBaseline}: the next run carries them on) ({@link ColumnAggregates#edges(List)}); the bins
 * they give are stored in its report as run metrics {@code psi_bins_kind} (0 value bins, 1
 * quantile bins, NULL: no value) and {@code psi_bin_edge:NN}. A later run whose baseline is exactly
 * that run's window, with main holding the very data files the run published there (no later write
 * or compaction touched those days) and as many rows as the run wrote, takes those bins instead of
 * a pass over the baseline before its write. Same rows, same aggregates, so the same bins: value
 * bins are exact either way; quantile edges are {@code approx_percentile} deciles (relative error
 * 1/10000) either way. Anything else (a baseline spanning several runs, a compaction since, a report
 * without stored bins) falls back to the pass.
 */
final class StoredBins {

  static final String KIND = "psi_bins_kind";
  static final String EDGE = "psi_bin_edge:";
  /** How far back through main's history to look for the publish of the baseline's window. */
  private static final int MAX_SNAPSHOTS_WALKED = 1000;

  private StoredBins() {}

  /** The bins of the run's own rows as report metrics (a column without bins stores a NULL kind). */
  static List<AuditMetric> metricsOf(Map<String, PsiBins> own, List<String> numeric) {
    return metricsOf("run", own, numeric);
  }

  /**
   * Bins as report metrics of {@code side}: "run", the bins the run's own rows give; "baseline", the
   * bins the report's PSI checks used (they came from the baseline), which {@link CarriedBaseline}
   * reads back.
   */
  static List<AuditMetric> metricsOf(String side, Map<String, PsiBins> bins, List<String> numeric) {
    List<AuditMetric> out = new ArrayList<>();
    for (String c : numeric) {
      PsiBins b = bins.get(c);
      out.add(new AuditMetric(side, c, KIND, b == null ? null : (double) b.kind().ordinal()));
      for (int i = 0; b != null && i < b.edges().length; i++) {
        out.add(new AuditMetric(side, c, String.format(java.util.Locale.ROOT, "%s%02d", EDGE, i), b.edges()[i]));
      }
    }
    return out;
  }

  /** The bins of {@code numeric} columns read back from report metrics, or empty if any column has none stored. */
  static Optional<Map<String, PsiBins>> fromMetrics(List<AuditMetric> metrics, List<String> numeric) {
    return fromMetrics("run", metrics, numeric);
  }

  /** The bins of {@code side} ({@link #metricsOf(String, Map, List)}), or empty if any column has none stored. */
  static Optional<Map<String, PsiBins>> fromMetrics(String side, List<AuditMetric> metrics, List<String> numeric) {
    Map<String, Double> kinds = new LinkedHashMap<>();
    Map<String, TreeMap<String, Double>> edges = new LinkedHashMap<>();
    for (AuditMetric m : metrics) {
      if (!side.equals(m.side())) {
        continue;
      }
      if (KIND.equals(m.metric())) {
        kinds.put(m.column(), m.value() == null ? Double.NaN : m.value());
      } else if (m.metric().startsWith(EDGE) && m.value() != null) {
        edges.computeIfAbsent(m.column(), k -> new TreeMap<>()).put(m.metric(), m.value());
      }
    }
    Map<String, PsiBins> out = new LinkedHashMap<>();
    for (String c : numeric) {
      Double kind = kinds.get(c);
      if (kind == null) {
        return Optional.empty();
      }
      if (!kind.isNaN()) {
        double[] e = edges.getOrDefault(c, new TreeMap<>()).values().stream().mapToDouble(Double::doubleValue).toArray();
        out.put(c, new PsiBins(PsiBins.Kind.values()[kind.intValue()], e));
      }
    }
    return Optional.of(out);
  }

  /**
   * The report of the run whose published rows are exactly {@code baseline}'s (see the class
   * comment), with the bins stored in it; empty when there is no such run. Metadata and one
   * catalog read, no Spark job.
   */
  static Optional<Found> lookup(Table table, AuditBaseline baseline, String eventTimestamp, List<String> numeric,
      LongFunction<Optional<AuditReport>> reports) {
    if (!baseline.exists()) {
      return Optional.empty();
    }
    String window = "[" + baseline.start() + "," + baseline.end() + ")";
    int walked = 0;
    for (Snapshot s : SnapshotUtil.ancestorsOf(baseline.snapshotId(), table::snapshot)) {
      if (++walked > MAX_SNAPSHOTS_WALKED) {
        return Optional.empty();
      }
      Map<String, String> summary = s.summary();
      if (!"audit".equals(summary.get(Lineage.STAMP)) || !window.equals(summary.get(Lineage.WINDOW))
          || summary.get(Lineage.AUDIT_REPORT_ID) == null) {
        continue;
      }
      Map<String, Long> published = WindowScan.dataFiles(table, s.snapshotId(), eventTimestamp, baseline.start(),
          baseline.end());
      Map<String, Long> now = s.snapshotId() == baseline.snapshotId() ? published
          : WindowScan.dataFiles(table, baseline.snapshotId(), eventTimestamp, baseline.start(), baseline.end());
      if (!published.equals(now)) {
        return Optional.empty(); // the newest publish of the window was changed since (a later write or a compaction)
      }
      long reportId = Long.parseLong(summary.get(Lineage.AUDIT_REPORT_ID));
      Optional<AuditReport> report = reports.apply(reportId);
      long rows = now.values().stream().mapToLong(Long::longValue).sum();
      if (report.isEmpty() || report.get().rowCount() != rows) {
        return Optional.empty(); // older rows in a day the run left empty are in the baseline too
      }
      return Optional.of(new Found(fromMetrics(report.get().metrics(), numeric), report.get()));
    }
    return Optional.empty();
  }

  /**
   * The audit report of the run that published exactly the baseline's rows, and the bins its own
   * rows gave (empty when the report does not have them for every column).
   */
  record Found(Optional<Map<String, PsiBins>> bins, AuditReport report) {
    long reportId() {
      return report.reportId();
    }
  }
}
