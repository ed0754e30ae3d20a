package io.featurelake.gateway.audit;

import static io.featurelake.gateway.audit.ColumnAggregates.q;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.featurelake.gateway.backfill.FeatureTables;
import io.featurelake.gateway.backfill.WindowScan;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.features.Checks;
import io.featurelake.sqlcatalog.features.Expectation;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Audits exactly the rows a run wrote (its window on the audited snapshot) against the published
 * baseline ({@link AuditBaseline}): row count, null rate per column, duplicate keys, schema
 * equality with main, row-level expectations, and drift: the row count per day and PSI per
 * numeric column on exact bin counts ({@link PsiBins}). The run side comes from the observation
 * of the write itself ({@link WriteObservation}: no second pass over the run's rows) or, on a
 * re-audit, from one aggregate pass over run and baseline rows together.
 *
 * <p>The bins come from the baseline, so they are fixed before the write ({@link #plan}); the
 * write observes the run's counts in them, and the baseline's counts are computed beside it.
 */
public final class AuditService {

  /** Below this many rows on either side, sampling noise alone exceeds common PSI thresholds. */
  static final long PSI_MIN_ROWS = 100;
  private static final String SIDE = "__featurelake_side";
  static final String FIRST_PUBLISH = "no published data on main (first publish): nothing to compare with";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditService.class);

  private final SparkSession spark;

  public AuditService(SparkSession spark) {
    this.spark = spark;
  }

  /** What a run is compared with, fixed before its write: the baseline and each numeric column's PSI bins. */
  public record AuditPlan(AuditBaseline baseline, Map<String, PsiBins> bins) {}

  /** The baseline side's aggregates, computed beside the write. */
  public record PreparedBaseline(AuditPlan plan, List<String> columns, List<String> numeric, Row stats) {}

  /** Chooses the baseline and, with one pass over the baseline's rows, the PSI bins of every numeric column. */
  public AuditPlan plan(FeatureViewDefinition view, BackfillRun run, Table table) {
    AuditBaseline baseline = AuditBaseline.choose(view, run, table);
    if (!baseline.exists()) {
      return new AuditPlan(baseline, Map.of());
    }
    Dataset<Row> base = baselineRows(view, baseline);
    List<String> numeric = numericFeatures(view, base);
    if (numeric.isEmpty()) {
      return new AuditPlan(baseline, Map.of());
    }
    List<Column> aggs = ColumnAggregates.edges(numeric);
    Row edges = base.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    return new AuditPlan(baseline, ColumnAggregates.binsOf(edges, numeric));
  }

  /**
   * Starts computing the baseline side on a daemon thread, as its own Spark job beside the run's
   * write. A failure here only means the audit scans the baseline itself.
   */
  public CompletableFuture<PreparedBaseline> prepareBaseline(FeatureViewDefinition view, BackfillRun run, AuditPlan plan) {
    CompletableFuture<PreparedBaseline> out = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        spark.sparkContext().setJobDescription("featurelake audit baseline of run " + run.runId());
        if (!plan.baseline().exists()) {
          out.complete(new PreparedBaseline(plan, List.of(), List.of(), null));
          return;
        }
        Dataset<Row> base = baselineRows(view, plan.baseline());
        List<String> columns = List.of(base.columns());
        List<String> numeric = numericFeatures(view, base);
        List<Column> aggs = ColumnAggregates.side(columns, numeric, plan.bins(), view.checks().expectations());
        Row stats = base.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        out.complete(new PreparedBaseline(plan, columns, numeric, stats));
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    }, "featurelake-baseline-" + run.runId());
    t.setDaemon(true);
    t.start();
    return out;
  }

  /** Computes the report (not yet stored: reportId 0) for the rows of {@code run} in {@code snapshotId}, by scanning them. */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId) {
    return audit(view, run, table, snapshotId, Optional.empty(), Optional.empty());
  }

  /**
   * Computes the report (not yet stored: reportId 0) for the rows of {@code run} in
   * {@code snapshotId}. {@code observedRunStats}, if present, are the run side's aggregates observed
   * while exactly those rows were written; then the run's rows are not read again.
   * {@code prepared}, if present and computed for the same columns, is the baseline side with the
   * plan the observation used (else the plan is made here and the baseline scanned).
   */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId,
      Optional<Row> observedRunStats, Optional<PreparedBaseline> prepared) {
    long t0 = System.nanoTime();
    String tableName = FeatureTables.tableName(view.name());
    Checks checks = view.checks();
    List<Expectation> expectations = checks.expectations();

    Dataset<Row> runRows = window(read(tableName, snapshotId), view, run.startDate(), run.endDate());
    List<String> numeric = numericFeatures(view, runRows);
    List<String> allColumns = List.of(runRows.columns());
    AuditPlan plan = prepared.map(PreparedBaseline::plan).orElseGet(() -> plan(view, run, table));
    AuditBaseline baseline = plan.baseline();
    Map<String, PsiBins> bins = new LinkedHashMap<>(plan.bins());
    bins.keySet().retainAll(numeric);
    Optional<Row> observed = observedRunStats.filter(r -> r.schema().getFieldIndex(WriteObservation.DUPLICATES).isDefined()
        && ColumnAggregates.hasFields(r, allColumns, numeric, bins.keySet(), expectations));
    Optional<PreparedBaseline> ready = prepared.filter(p -> !baseline.exists()
        || p.columns().equals(allColumns) && p.numeric().equals(numeric));

    long tPlan = System.nanoTime();
    Dataset<Row> sides = null;
    if (observed.isEmpty()) {
      sides = runRows.withColumn(SIDE, lit("run"));
    }
    if (baseline.exists() && ready.isEmpty()) {
      Dataset<Row> base = baselineRows(view, baseline).withColumn(SIDE, lit("baseline"));
      sides = sides == null ? base : sides.unionByName(base, true);
    }
    Map<String, Row> bySide = new LinkedHashMap<>();
    observed.ifPresent(r -> bySide.put("run", r));
    ready.map(PreparedBaseline::stats).ifPresent(r -> bySide.put("baseline", r));
    if (sides != null) {
      List<Column> aggs = ColumnAggregates.side(allColumns, numeric, bins, expectations);
      Dataset<Row> grouped = sides.groupBy(col(SIDE)).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
      for (Row r : grouped.collectAsList()) {
        bySide.put(r.getString(r.fieldIndex(SIDE)), r);
      }
    }
    long tMetrics = System.nanoTime();
    Row runStats = bySide.get("run");
    Row baseStats = bySide.get("baseline");
    long n = runStats == null ? 0 : runStats.getLong(runStats.fieldIndex("n"));
    Long baseN = baseline.exists() ? (baseStats == null ? 0L : baseStats.getLong(baseStats.fieldIndex("n"))) : null;
    String against = baseline.describe(baseN);

    List<AuditMetric> metrics = new ArrayList<>();
    metrics.addAll(metricsOf("run", runStats, allColumns, numeric, expectations));
    // How the run side was measured: 1 = observed while the rows were written, 0 = read back from the snapshot.
    metrics.add(new AuditMetric("run", "*", "observed_during_write", observed.isPresent() ? 1.0 : 0.0));
    if (baseStats != null) {
      metrics.addAll(metricsOf("baseline", baseStats, allColumns, numeric, expectations));
      metrics.add(new AuditMetric("baseline", "*", "days", (double) baseline.days()));
    }

    List<AuditCheck> results = new ArrayList<>();
    results.add(new AuditCheck("row_count", null, (double) n, (double) checks.minRowCount(), n >= checks.minRowCount(),
        n >= checks.minRowCount() ? n + " rows >= minimum " + checks.minRowCount()
            : n + " rows < minimum " + checks.minRowCount() + " (short by " + (checks.minRowCount() - n) + ")"));
    results.add(rowCountChange(view, run, table, snapshotId, n, baseline, baseN, against));
    if (runStats != null && n > 0) {
      long duplicates = observed.isPresent()
          ? observed.get().getLong(observed.get().fieldIndex(WriteObservation.DUPLICATES))
          : duplicateKeys(runRows, keyColumns(view));
      boolean ok = duplicates <= checks.maxDuplicateKeys();
      results.add(new AuditCheck("duplicate_keys", String.join(",", view.entities()) + "," + view.eventTimestamp(),
          (double) duplicates, (double) checks.maxDuplicateKeys(), ok,
          duplicates + " duplicate (entity, timestamp) keys " + (ok ? "<= " : "> ") + checks.maxDuplicateKeys() + " allowed"));
      for (String c : allColumns) {
        long nulls = runStats.getLong(runStats.fieldIndex("nulls__" + c));
        double rate = nulls / (double) n;
        double limit = checks.maxNullRate(c);
        boolean passed = rate <= limit;
        results.add(new AuditCheck("null_rate", c, rate, limit, passed, String.format(Locale.ROOT,
            "%.1f%% NULL %s %.1f%% allowed%s", rate * 100, passed ? "<=" : ">", limit * 100,
            passed ? "" : String.format(Locale.ROOT, " (by %.1f points)", (rate - limit) * 100))));
      }
      for (Expectation e : expectations) {
        results.add(expectationCheck(e, runStats, n));
      }
    }
    results.add(SchemaCheck.of(table, snapshotId));
    for (String c : numeric) {
      results.add(psiCheck(c, checks.maxPsi(c), bins.get(c), runStats, baseStats, n, baseN, baseline, against));
      metrics.addAll(binShares(c, bins.get(c), runStats, baseStats));
    }
    boolean passed = results.stream().allMatch(AuditCheck::passed);
    LOG.info("Audit of run {} ({}): plan {} ms, metrics pass {} ms, duplicate keys and checks {} ms",
        run.runId(), (observed.isPresent() ? "run side observed during the write" : "run side scanned")
            + (ready.isPresent() ? ", baseline prepared during the write" : ""), (tPlan - t0) / 1_000_000,
        (tMetrics - tPlan) / 1_000_000, (System.nanoTime() - tMetrics) / 1_000_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new AuditReport(0, run.runId(), tableName, snapshotId, baseline.kind(), baseline.snapshotId(), baseline.start(),
        baseline.end(), n, baseN, passed, (int) results.stream().filter(r -> !r.passed()).count(), null, ms, results, metrics, null, null);
  }

  private AuditCheck rowCountChange(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId, long n,
      AuditBaseline baseline, Long baseN, String against) {
    double limit = view.checks().maxRowCountChange();
    if (!baseline.exists()) {
      return AuditCheck.skipped("row_count_change", null, limit, FIRST_PUBLISH);
    }
    if (baseN == null || baseN == 0) {
      return AuditCheck.skipped("row_count_change", null, limit, "the " + against + " has no rows");
    }
    // Compare rows per covered day: a 5-day run is not a 400% jump over a 1-day baseline.
    int runDays = Math.max(1, WindowScan.daysWithRows(table, snapshotId, view.eventTimestamp(), run.startDate(),
        run.endDate()).size());
    int baseDays = Math.max(1, baseline.days());
    double runPerDay = n / (double) runDays;
    double basePerDay = baseN / (double) baseDays;
    double change = Math.abs(runPerDay - basePerDay) / basePerDay;
    boolean ok = change <= limit;
    return new AuditCheck("row_count_change", null, change, limit, ok,
        String.format(Locale.ROOT, "%.0f rows/day over %d day(s) vs %.0f rows/day in the %s: %s%.1f%% %s %.1f%% allowed",
            runPerDay, runDays, basePerDay, against, runPerDay >= basePerDay ? "+" : "-", change * 100, ok ? "<=" : ">",
            limit * 100));
  }

  /** Metric name prefix of a PSI bin's share of one side's values, e.g. {@code bin_share:03 (2, 5]}. */
  public static final String BIN_SHARE = "bin_share:";

  /**
   * The shares of each side's non-NULL values in the PSI bins, so a report shows the very
   * distributions the PSI compared (the web UI draws them). Unsmoothed: what was counted.
   */
  static List<AuditMetric> binShares(String c, PsiBins bins, Row runStats, Row baseStats) {
    if (bins == null || runStats == null || baseStats == null) {
      return List.of();
    }
    List<AuditMetric> out = new ArrayList<>();
    for (var side : List.of(Map.entry("run", runStats), Map.entry("baseline", baseStats))) {
      long[] counts = ColumnAggregates.binCounts(side.getValue(), c, bins);
      long total = java.util.Arrays.stream(counts).sum();
      for (int i = 0; i < counts.length && total > 0; i++) {
        out.add(new AuditMetric(side.getKey(), c, BIN_SHARE + binLabel(bins.edges(), i), counts[i] / (double) total));
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

  private static AuditCheck psiCheck(String c, double limit, PsiBins bins, Row runStats, Row baseStats, long n, Long baseN,
      AuditBaseline baseline, String against) {
    if (!baseline.exists()) {
      return AuditCheck.skipped("psi", c, limit, FIRST_PUBLISH);
    }
    if (bins == null || baseStats == null || runStats == null) {
      return AuditCheck.skipped("psi", c, limit, "the " + against + " has no values of " + c);
    }
    long[] runCounts = ColumnAggregates.binCounts(runStats, c, bins);
    long[] baseCounts = ColumnAggregates.binCounts(baseStats, c, bins);
    long runValues = java.util.Arrays.stream(runCounts).sum();
    long baseValues = java.util.Arrays.stream(baseCounts).sum();
    if (runValues < PSI_MIN_ROWS || baseValues < PSI_MIN_ROWS) {
      return AuditCheck.skipped("psi", c, limit, String.format(Locale.ROOT, "%d run values and %d baseline values "
          + "(%s); PSI needs at least %d on each side to mean anything", runValues, baseValues, against, PSI_MIN_ROWS));
    }
    double noise = bins.expectedNoise(runValues, baseValues);
    if (noise > limit / 2) {
      return AuditCheck.skipped("psi", c, limit, String.format(Locale.ROOT, "%d run values and %d baseline values over "
          + "%s (%s): sampling noise alone would give PSI about %.3f, more than half the %.3f allowed", runValues,
          baseValues, bins.describe(), against, noise, limit));
    }
    double psi = PsiBins.psi(runCounts, baseCounts);
    boolean ok = psi <= limit;
    return new AuditCheck("psi", c, psi, limit, ok, String.format(Locale.ROOT, "PSI %.3f %s %.3f allowed over %s vs %s%s",
        psi, ok ? "<=" : ">", limit, bins.describe(), against,
        ok ? "" : String.format(Locale.ROOT, " (by %.3f)", psi - limit)));
  }

  private static AuditCheck expectationCheck(Expectation e, Row runStats, long n) {
    long violations = runStats.getLong(runStats.fieldIndex("expect__" + e.name()));
    double share = violations / (double) n;
    boolean ok = share <= e.maxFailureShare();
    return new AuditCheck("expectation", e.name(), share, e.maxFailureShare(), ok, String.format(Locale.ROOT,
        "%d of %d rows (%.2f%%) violate %s; %s %.2f%% allowed", violations, n, share * 100, e.sql(), ok ? "<=" : ">",
        e.maxFailureShare() * 100));
  }

  private Dataset<Row> baselineRows(FeatureViewDefinition view, AuditBaseline baseline) {
    return window(read(FeatureTables.tableName(view.name()), baseline.snapshotId()), view, baseline.start(), baseline.end());
  }

  private Dataset<Row> read(String table, long snapshotId) {
    return spark.read().option("snapshot-id", snapshotId).table(table);
  }

  private static Dataset<Row> window(Dataset<Row> rows, FeatureViewDefinition view, LocalDate start, LocalDate end) {
    Column ts = q(view.eventTimestamp());
    return rows.where(ts.geq(lit(java.sql.Date.valueOf(start))).and(ts.lt(lit(java.sql.Date.valueOf(end)))));
  }

  static List<Column> keyColumns(FeatureViewDefinition view) {
    List<Column> keys = new ArrayList<>();
    view.entities().forEach(e -> keys.add(q(e)));
    keys.add(q(view.eventTimestamp()));
    return keys;
  }

  /** Rows beyond the first per (entity, timestamp): a grouped count, far cheaper than a DISTINCT inside the metrics pass. */
  private static long duplicateKeys(Dataset<Row> runRows, List<Column> keys) {
    Row r = runRows.groupBy(keys.toArray(new Column[0])).count().where(col("count").gt(1))
        .agg(sum(col("count").minus(1))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  static List<String> numericFeatures(FeatureViewDefinition view, Dataset<Row> rows) {
    List<String> requested = view.checks().psiColumns();
    List<String> out = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      boolean isKey = view.entities().contains(f.name()) || f.name().equals(view.eventTimestamp());
      if (!isKey && f.dataType() instanceof NumericType && (requested.isEmpty() || requested.contains(f.name()))) {
        out.add(f.name());
      }
    }
    return out;
  }

  private static List<AuditMetric> metricsOf(String side, Row stats, List<String> columns, List<String> numeric,
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

  private static Double doubleOrNull(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? null : ((Number) row.get(i)).doubleValue();
  }
}
