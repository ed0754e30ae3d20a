package io.featurelake.gateway.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featurelake.gateway.backfill.FeatureTables;
import io.featurelake.gateway.backfill.WindowScan;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.features.Checks;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Audits exactly the rows a run wrote (its window on the audited snapshot) against the
 * published baseline: row count, null rate per column, min / max / mean / stddev / quantiles per
 * numeric column, duplicate keys, schema equality with main, and PSI drift. The run side comes
 * either from the observation of the write itself ({@link WriteObservation}: no second pass over
 * the run's rows) or, on a re-audit, from one aggregate pass over run and baseline rows together
 * plus a grouped count of the run's keys for duplicates.
 */
public final class AuditService {

  /** 1%, 2%, ... 99%: the percentiles every numeric column gets, for metrics and PSI alike. */
  private static final String PERCENTILES_SQL = java.util.stream.IntStream.rangeClosed(1, 99)
      .mapToObj(i -> String.format(Locale.ROOT, "%.2f", i / 100.0))
      .collect(java.util.stream.Collectors.joining(", ", "array(", ")"));
  private static final double PSI_EPSILON = 1e-4;
  /** Below this many rows on either side, percentile noise alone exceeds common PSI thresholds. */
  static final long PSI_MIN_ROWS = 100;
  private static final String SIDE = "__featurelake_side";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditService.class);

  private final SparkSession spark;

  public AuditService(SparkSession spark) {
    this.spark = spark;
  }

  /** The baseline chosen for a run: same window on main at branch cut, else the preceding window, else none. */
  public record Baseline(String kind, Long snapshotId, LocalDate start, LocalDate end) {
    boolean exists() {
      return snapshotId != null;
    }
  }

  /** Computes the report (not yet stored: reportId 0) for the rows of {@code run} in {@code snapshotId}, by scanning them. */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId) {
    return audit(view, run, table, snapshotId, Optional.empty(), Optional.empty());
  }

  /**
   * The baseline side of an audit, computed ahead: the baseline is main at the branch cut, which
   * no later commit changes, so its metrics can be computed while the run is still writing.
   */
  public record PreparedBaseline(Baseline baseline, List<String> columns, List<String> numeric, Row stats) {}

  /**
   * Starts computing the baseline side for {@code run} (its branch cut, {@code baseSnapshotId}
   * set) on a daemon thread, as its own Spark job beside the run's write. A failure here only
   * means the audit computes the baseline itself.
   */
  public CompletableFuture<PreparedBaseline> prepareBaseline(FeatureViewDefinition view, BackfillRun run, Table table) {
    CompletableFuture<PreparedBaseline> out = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        spark.sparkContext().setJobDescription("featurelake audit baseline of run " + run.runId());
        Baseline baseline = chooseBaseline(view, run, table);
        Row stats = null;
        List<String> columns;
        List<String> numeric;
        if (baseline.exists()) {
          Dataset<Row> base = window(read(FeatureTables.tableName(view.name()), baseline.snapshotId()), view,
              baseline.start(), baseline.end());
          columns = List.of(base.columns());
          numeric = numericFeatures(view, base);
          List<Column> aggs = sideAggregates(columns, numeric);
          stats = base.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        } else {
          columns = List.of();
          numeric = List.of();
        }
        out.complete(new PreparedBaseline(baseline, columns, numeric, stats));
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    }, "featurelake-baseline-" + run.runId());
    t.setDaemon(true);
    t.start();
    return out;
  }

  /**
   * Computes the report (not yet stored: reportId 0) for the rows of {@code run} in
   * {@code snapshotId}. {@code observedRunStats}, if present, are the run side's metrics observed
   * while exactly those rows were written ({@link WriteObservation}); then the run's rows are not
   * read again. {@code prepared}, if present and computed for the same columns, is the baseline
   * side (else the baseline is scanned here, in the same pass as the run's rows if those are read).
   */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId,
      Optional<Row> observedRunStats, Optional<PreparedBaseline> prepared) {
    long t0 = System.nanoTime();
    String tableName = FeatureTables.tableName(view.name());
    Checks checks = view.checks();

    Dataset<Row> runRows = window(read(tableName, snapshotId), view, run.startDate(), run.endDate());
    List<String> numeric = numericFeatures(view, runRows);
    List<String> allColumns = List.of(runRows.columns());
    Optional<Row> observed = observedRunStats.filter(r -> hasFields(r, allColumns, numeric));
    Optional<PreparedBaseline> ready = prepared.filter(p -> !p.baseline().exists()
        || p.columns().equals(allColumns) && p.numeric().equals(numeric));
    Baseline baseline = ready.map(PreparedBaseline::baseline).orElseGet(() -> chooseBaseline(view, run, table));

    long tBaseline = System.nanoTime();
    Dataset<Row> sides = null;
    if (observed.isEmpty()) {
      sides = runRows.withColumn(SIDE, lit("run"));
    }
    if (baseline.exists() && ready.isEmpty()) {
      Dataset<Row> base = window(read(tableName, baseline.snapshotId()), view, baseline.start(), baseline.end())
          .withColumn(SIDE, lit("baseline"));
      sides = sides == null ? base : sides.unionByName(base, true);
    }
    Map<String, Row> bySide = new LinkedHashMap<>();
    observed.ifPresent(r -> bySide.put("run", r));
    ready.map(PreparedBaseline::stats).ifPresent(r -> bySide.put("baseline", r));
    if (sides != null) {
      List<Column> aggs = sideAggregates(allColumns, numeric);
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

    List<AuditMetric> metrics = new ArrayList<>();
    metrics.addAll(metricsOf("run", runStats, allColumns, numeric));
    // How the run side was measured: 1 = observed while the rows were written, 0 = read back from the snapshot.
    metrics.add(new AuditMetric("run", "*", "observed_during_write", observed.isPresent() ? 1.0 : 0.0));
    if (baseStats != null) {
      metrics.addAll(metricsOf("baseline", baseStats, allColumns, numeric));
    }

    List<AuditCheck> results = new ArrayList<>();
    results.add(new AuditCheck("row_count", null, (double) n, (double) checks.minRowCount(), n >= checks.minRowCount(),
        n >= checks.minRowCount() ? n + " rows >= minimum " + checks.minRowCount()
            : n + " rows < minimum " + checks.minRowCount() + " (short by " + (checks.minRowCount() - n) + ")"));
    if (baseN != null && baseN > 0) {
      // Compare rows per covered day: the baseline may cover only part of the window (a shorter
      // earlier run), and a 5-day run is not a 400% jump over a 1-day baseline.
      int runDays = Math.max(1, WindowScan.daysWithRows(table, snapshotId, view.eventTimestamp(), run.startDate(),
          run.endDate()).size());
      int baseDays = Math.max(1, WindowScan.daysWithRows(table, baseline.snapshotId(), view.eventTimestamp(), baseline.start(),
          baseline.end()).size());
      double runPerDay = n / (double) runDays;
      double basePerDay = baseN / (double) baseDays;
      double change = Math.abs(runPerDay - basePerDay) / basePerDay;
      boolean ok = change <= checks.maxRowCountChange();
      results.add(new AuditCheck("row_count_change", null, change, checks.maxRowCountChange(), ok,
          String.format(Locale.ROOT, "%.0f rows/day over %d day(s) vs %.0f rows/day over %d day(s) in the %s baseline: "
              + "%s%.1f%% %s %.1f%% allowed", runPerDay, runDays, basePerDay, baseDays, baseline.kind().replace('_', ' '),
              runPerDay >= basePerDay ? "+" : "-", change * 100, ok ? "<=" : ">", checks.maxRowCountChange() * 100)));
    }
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
    }
    results.add(schemaCheck(table, snapshotId));
    if (baseStats != null && runStats != null && n > 0) {
      for (String c : numeric) {
        double[] runPct = percentiles(runStats, c);
        double[] basePct = percentiles(baseStats, c);
        if (runPct == null || basePct == null) {
          continue;
        }
        if (n < PSI_MIN_ROWS || baseN < PSI_MIN_ROWS) {
          results.add(new AuditCheck("psi", c, null, checks.maxPsi(), true, String.format(Locale.ROOT,
              "skipped: %d run rows and %d baseline rows; PSI needs at least %d on each side to mean anything",
              n, baseN, PSI_MIN_ROWS)));
          continue;
        }
        double psi = psi(runPct, basePct);
        boolean ok = psi <= checks.maxPsi();
        results.add(new AuditCheck("psi", c, psi, checks.maxPsi(), ok, String.format(Locale.ROOT,
            "PSI %.3f %s %.3f allowed vs %s baseline%s", psi, ok ? "<=" : ">", checks.maxPsi(),
            baseline.kind().replace('_', ' '), ok ? "" : String.format(Locale.ROOT, " (by %.3f)", psi - checks.maxPsi()))));
      }
    }
    boolean passed = results.stream().allMatch(AuditCheck::passed);
    LOG.info("Audit of run {} ({}): baseline choice {} ms, metrics pass {} ms, duplicate keys and checks {} ms",
        run.runId(), (observed.isPresent() ? "run side observed during the write" : "run side scanned")
            + (ready.isPresent() ? ", baseline prepared during the write" : ""), (tBaseline - t0) / 1_000_000, (tMetrics - tBaseline) / 1_000_000,
        (System.nanoTime() - tMetrics) / 1_000_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new AuditReport(0, run.runId(), tableName, snapshotId, baseline.kind(), baseline.snapshotId(), baseline.start(),
        baseline.end(), n, baseN, passed, (int) results.stream().filter(r -> !r.passed()).count(), null, ms, results, metrics);
  }

  Baseline chooseBaseline(FeatureViewDefinition view, BackfillRun run, Table table) {
    Long base = run.baseSnapshotId();
    if (base == null || table.snapshot(base) == null) {
      return new Baseline("none", null, null, null);
    }
    if (WindowScan.hasRows(table, base, view.eventTimestamp(), run.startDate(), run.endDate())) {
      return new Baseline("same_window", base, run.startDate(), run.endDate());
    }
    long days = ChronoUnit.DAYS.between(run.startDate(), run.endDate());
    LocalDate prevStart = run.startDate().minusDays(days);
    if (WindowScan.hasRows(table, base, view.eventTimestamp(), prevStart, run.startDate())) {
      return new Baseline("preceding_window", base, prevStart, run.startDate());
    }
    return new Baseline("none", null, null, null);
  }

  private AuditCheck schemaCheck(Table table, long snapshotId) {
    Integer schemaId = table.snapshot(snapshotId).schemaId();
    org.apache.iceberg.Schema audited = schemaId == null ? table.schema() : table.schemas().get(schemaId);
    org.apache.iceberg.Schema main = table.schema();
    boolean same = audited.asStruct().equals(main.asStruct());
    return new AuditCheck("schema", null, same ? 0.0 : 1.0, 0.0, same,
        same ? "schema equals main's (" + main.columns().size() + " columns)"
            : "schema differs from main's: audited " + audited.asStruct() + " vs main " + main.asStruct());
  }

  private Dataset<Row> read(String table, long snapshotId) {
    return spark.read().option("snapshot-id", snapshotId).table(table);
  }

  private static Dataset<Row> window(Dataset<Row> rows, FeatureViewDefinition view, LocalDate start, LocalDate end) {
    Column ts = q(view.eventTimestamp());
    return rows.where(ts.geq(lit(java.sql.Date.valueOf(start))).and(ts.lt(lit(java.sql.Date.valueOf(end)))));
  }

  /**
   * The aggregates of one side's rows, over the raw columns: row count, NULLs per column, and for
   * numeric features min / max / mean / stddev / 99 percentiles as DOUBLE. The same list serves the
   * scan (grouped by side) and the observation of the write, so both yield the same fields.
   */
  static List<Column> sideAggregates(List<String> allColumns, List<String> numeric) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    for (String c : allColumns) {
      aggs.add(sum(when(q(c).isNull(), 1L).otherwise(0L)).as("nulls__" + c));
    }
    for (String c : numeric) {
      Column v = q(c).cast("double");
      aggs.add(min(v).as("min__" + c));
      aggs.add(max(v).as("max__" + c));
      aggs.add(mean(v).as("mean__" + c));
      aggs.add(stddev_samp(v).as("stddev__" + c));
      aggs.add(expr("approx_percentile(CAST(`" + c.replace("`", "``") + "` AS DOUBLE), " + PERCENTILES_SQL + ", 1000)")
          .as("pct__" + c));
    }
    return aggs;
  }

  /** Whether observed stats have every field the audit reads for these columns (a schema change would drop some). */
  private static boolean hasFields(Row stats, List<String> columns, List<String> numeric) {
    java.util.Set<String> names = java.util.Set.of(stats.schema().fieldNames());
    return names.contains("n") && names.contains(WriteObservation.DUPLICATES)
        && columns.stream().allMatch(c -> names.contains("nulls__" + c))
        && numeric.stream().allMatch(c -> names.contains("pct__" + c) && names.contains("mean__" + c));
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

  /**
   * PSI of the run against the baseline over the baseline's deciles. Each side's share of a bin
   * comes from its own 99 approximate percentiles (computed in the metrics pass, so no second pass
   * over the data): a share is resolved to 1%, ample for a PSI threshold of 0.1 to 0.25.
   */
  static double psi(double[] runPct, double[] basePct) {
    TreeSet<Double> edgeSet = new TreeSet<>();
    for (int decile = 1; decile <= 9; decile++) {
      edgeSet.add(basePct[decile * 10 - 1]);
    }
    // Bins: below the first decile, at it, between it and the next, at the next, ..., above the
    // last. The "at" bins keep point masses apart: discrete features (counts) pile up on a decile,
    // and a constant column moving from 1 to 2 must show up as drift.
    double total = 0;
    double prevRun = 0;
    double prevBase = 0;
    for (double edge : edgeSet) {
      for (boolean inclusive : new boolean[] {false, true}) {
        double runCdf = share(runPct, edge, inclusive);
        double baseCdf = share(basePct, edge, inclusive);
        total += term(runCdf - prevRun, baseCdf - prevBase);
        prevRun = runCdf;
        prevBase = baseCdf;
      }
    }
    return total + term(1 - prevRun, 1 - prevBase);
  }

  private static double term(double runShare, double baseShare) {
    double p = Math.max(runShare, PSI_EPSILON);
    double q = Math.max(baseShare, PSI_EPSILON);
    return (p - q) * Math.log(p / q);
  }

  /**
   * Share of values below x ({@code inclusive}: at most x), read off percentiles at 1%, 2%, ...
   * 99%. A value between two points lies between their quantiles: take the middle. A value equal
   * to exactly one point sits at that point's quantile (no mass of its own: the baseline's deciles
   * are such points, and must not look like 1% spikes). Two or more equal points are a real
   * point mass of about that many percent, split off by the inclusive share.
   */
  private static double share(double[] pct, double x, boolean inclusive) {
    int below = 0;
    int equal = 0;
    for (double v : pct) {
      if (v < x) {
        below++;
      } else if (v == x) {
        equal++;
      }
    }
    double n = pct.length + 1.0;
    if (equal == 1) {
      return (below + 1) / n;
    }
    int under = inclusive ? below + equal : below;
    if (under == 0) {
      return 0;
    }
    return under == pct.length ? 1.0 : (under + 0.5) / n;
  }

  private static double[] percentiles(Row stats, String column) {
    int i = stats.fieldIndex("pct__" + column);
    if (stats.isNullAt(i)) {
      return null;
    }
    List<Object> values = stats.getList(i);
    double[] out = new double[values.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = ((Number) values.get(k)).doubleValue();
    }
    return out;
  }

  private static List<AuditMetric> metricsOf(String side, Row stats, List<String> columns, List<String> numeric) {
    List<AuditMetric> out = new ArrayList<>();
    if (stats == null) {
      return out;
    }
    long n = stats.getLong(stats.fieldIndex("n"));
    out.add(new AuditMetric(side, "*", "row_count", (double) n));
    for (String c : columns) {
      long nulls = stats.getLong(stats.fieldIndex("nulls__" + c));
      out.add(new AuditMetric(side, c, "null_rate", n == 0 ? null : nulls / (double) n));
    }
    for (String c : numeric) {
      out.add(new AuditMetric(side, c, "min", doubleOrNull(stats, "min__" + c)));
      out.add(new AuditMetric(side, c, "max", doubleOrNull(stats, "max__" + c)));
      out.add(new AuditMetric(side, c, "mean", doubleOrNull(stats, "mean__" + c)));
      out.add(new AuditMetric(side, c, "stddev", doubleOrNull(stats, "stddev__" + c)));
      double[] pct = percentiles(stats, c);
      for (int p : new int[] {1, 5, 25, 50, 75, 95, 99}) {
        out.add(new AuditMetric(side, c, String.format(Locale.ROOT, "p%02d", p), pct == null ? null : pct[p - 1]));
      }
    }
    return out;
  }

  private static Double doubleOrNull(Row row, String field) {
    int i = row.fieldIndex(field);
    return row.isNullAt(i) ? null : ((Number) row.get(i)).doubleValue();
  }

  private static Column q(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

}
