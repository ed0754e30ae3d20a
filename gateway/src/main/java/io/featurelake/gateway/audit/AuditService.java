package io.featurelake.gateway.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;
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
 * published baseline, in one aggregate pass over run and baseline rows together (plus one pass
 * over the baseline for the PSI bin edges): row count, null rate per column, min / max / mean /
 * stddev / quantiles per numeric column, duplicate keys, schema equality with main, and PSI drift.
 */
public final class AuditService {

  static final int PSI_BINS = 10;
  private static final double PSI_EPSILON = 1e-4;
  private static final String SIDE = "__featurelake_side";

  private final SparkSession spark;

  public AuditService(SparkSession spark) {
    this.spark = spark;
  }

  /** The baseline chosen for a run: same window on main at branch cut, else the preceding window, else none. */
  record Baseline(String kind, Long snapshotId, LocalDate start, LocalDate end) {
    boolean exists() {
      return snapshotId != null;
    }
  }

  /** Computes the report (not yet stored: reportId 0) for the rows of {@code run} in {@code snapshotId}. */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId) {
    long t0 = System.nanoTime();
    String tableName = FeatureTables.tableName(view.name());
    Checks checks = view.checks();
    Baseline baseline = chooseBaseline(view, run, table);

    Dataset<Row> runRows = window(read(tableName, snapshotId), view, run.startDate(), run.endDate());
    List<String> numeric = numericFeatures(view, runRows);
    List<String> allColumns = List.of(runRows.columns());

    Map<String, double[]> edges = baseline.exists() && !numeric.isEmpty()
        ? binEdges(window(read(tableName, baseline.snapshotId()), view, baseline.start(), baseline.end()), numeric)
        : Map.of();

    Dataset<Row> both = runRows.withColumn(SIDE, lit("run"));
    if (baseline.exists()) {
      both = both.unionByName(window(read(tableName, baseline.snapshotId()), view, baseline.start(), baseline.end())
          .withColumn(SIDE, lit("baseline")), true);
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    List<Column> keyColumns = new ArrayList<>();
    for (String entity : view.entities()) {
      keyColumns.add(q(entity));
    }
    keyColumns.add(q(view.eventTimestamp()));
    aggs.add(countDistinct(struct(keyColumns.toArray(new Column[0]))).as("distinct_keys"));
    for (String c : allColumns) {
      aggs.add(sum(when(q(c).isNull(), 1).otherwise(0)).as("nulls__" + c));
    }
    for (String c : numeric) {
      Column v = q(c).cast("double");
      aggs.add(min(v).as("min__" + c));
      aggs.add(max(v).as("max__" + c));
      aggs.add(mean(v).as("mean__" + c));
      aggs.add(stddev_samp(v).as("stddev__" + c));
      aggs.add(expr("approx_percentile(CAST(`" + c + "` AS DOUBLE), array(0.05, 0.5, 0.95), 1000)").as("q__" + c));
      double[] e = edges.get(c);
      if (e != null) {
        Column bin = binIndex(v, e);
        for (int b = 0; b <= e.length; b++) {
          aggs.add(sum(when(bin.equalTo(b), 1).otherwise(0)).as("bin" + b + "__" + c));
        }
      }
    }
    Map<String, Row> bySide = new LinkedHashMap<>();
    for (Row r : both.groupBy(col(SIDE)).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).collectAsList()) {
      bySide.put(r.getString(r.fieldIndex(SIDE)), r);
    }
    Row runStats = bySide.get("run");
    Row baseStats = bySide.get("baseline");
    long n = runStats == null ? 0 : runStats.getLong(runStats.fieldIndex("n"));
    Long baseN = baseline.exists() ? (baseStats == null ? 0L : baseStats.getLong(baseStats.fieldIndex("n"))) : null;

    List<AuditMetric> metrics = new ArrayList<>();
    metrics.addAll(metricsOf("run", runStats, allColumns, numeric));
    if (baseStats != null) {
      metrics.addAll(metricsOf("baseline", baseStats, allColumns, numeric));
    }

    List<AuditCheck> results = new ArrayList<>();
    results.add(new AuditCheck("row_count", null, (double) n, (double) checks.minRowCount(), n >= checks.minRowCount(),
        n >= checks.minRowCount() ? n + " rows >= minimum " + checks.minRowCount()
            : n + " rows < minimum " + checks.minRowCount() + " (short by " + (checks.minRowCount() - n) + ")"));
    if (baseN != null && baseN > 0) {
      double change = Math.abs(n - baseN) / (double) baseN;
      boolean ok = change <= checks.maxRowCountChange();
      results.add(new AuditCheck("row_count_change", null, change, checks.maxRowCountChange(), ok,
          String.format(Locale.ROOT, "%d rows vs %d in the %s baseline: %s%.1f%% %s %.1f%% allowed", n, baseN,
              baseline.kind().replace('_', ' '), n >= baseN ? "+" : "-", change * 100, ok ? "<=" : ">", checks.maxRowCountChange() * 100)));
    }
    if (runStats != null && n > 0) {
      long distinct = runStats.getLong(runStats.fieldIndex("distinct_keys"));
      long duplicates = n - distinct;
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
        double[] e = edges.get(c);
        if (e == null) {
          continue;
        }
        double psi = psi(runStats, baseStats, c, e.length + 1);
        boolean ok = psi <= checks.maxPsi();
        results.add(new AuditCheck("psi", c, psi, checks.maxPsi(), ok, String.format(Locale.ROOT,
            "PSI %.3f %s %.3f allowed vs %s baseline%s", psi, ok ? "<=" : ">", checks.maxPsi(),
            baseline.kind().replace('_', ' '), ok ? "" : String.format(Locale.ROOT, " (by %.3f)", psi - checks.maxPsi()))));
      }
    }
    boolean passed = results.stream().allMatch(AuditCheck::passed);
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

  private static List<String> numericFeatures(FeatureViewDefinition view, Dataset<Row> rows) {
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

  /** Deciles of each column in the baseline, de-duplicated: the PSI bin edges. */
  private static Map<String, double[]> binEdges(Dataset<Row> baselineRows, List<String> columns) {
    List<Column> qs = new ArrayList<>();
    for (String c : columns) {
      qs.add(expr("approx_percentile(CAST(`" + c + "` AS DOUBLE), array(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), 1000)")
          .as(c));
    }
    Row row = baselineRows.agg(qs.get(0), qs.subList(1, qs.size()).toArray(new Column[0])).collectAsList().get(0);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String c : columns) {
      List<Object> values = row.isNullAt(row.fieldIndex(c)) ? List.of() : row.getList(row.fieldIndex(c));
      TreeSet<Double> distinct = new TreeSet<>();
      for (Object v : values) {
        if (v != null) {
          distinct.add(((Number) v).doubleValue());
        }
      }
      if (!distinct.isEmpty()) {
        out.put(c, distinct.stream().mapToDouble(Double::doubleValue).toArray());
      }
    }
    return out;
  }

  /** Bin b holds values in [edge[b-1], edge[b]); bin 0 below the first edge, the last one from the last edge up. */
  private static Column binIndex(Column v, double[] edges) {
    Column bin = lit(edges.length);
    for (int i = edges.length - 1; i >= 0; i--) {
      bin = when(v.lt(edges[i]), i).otherwise(bin);
    }
    return when(v.isNull(), lit(-1)).otherwise(bin);
  }

  static double psi(Row run, Row base, String column, int bins) {
    long[] p = new long[bins];
    long[] q = new long[bins];
    long pn = 0;
    long qn = 0;
    for (int b = 0; b < bins; b++) {
      p[b] = run.getLong(run.fieldIndex("bin" + b + "__" + column));
      q[b] = base.getLong(base.fieldIndex("bin" + b + "__" + column));
      pn += p[b];
      qn += q[b];
    }
    return psi(p, pn, q, qn);
  }

  static double psi(long[] p, long pn, long[] q, long qn) {
    if (pn == 0 || qn == 0) {
      return 0;
    }
    double total = 0;
    for (int b = 0; b < p.length; b++) {
      double pi = Math.max(p[b] / (double) pn, PSI_EPSILON);
      double qi = Math.max(q[b] / (double) qn, PSI_EPSILON);
      total += (pi - qi) * Math.log(pi / qi);
    }
    return total;
  }

  private static List<AuditMetric> metricsOf(String side, Row stats, List<String> columns, List<String> numeric) {
    List<AuditMetric> out = new ArrayList<>();
    if (stats == null) {
      return out;
    }
    long n = stats.getLong(stats.fieldIndex("n"));
    out.add(new AuditMetric(side, "*", "row_count", (double) n));
    out.add(new AuditMetric(side, "*", "distinct_keys", (double) stats.getLong(stats.fieldIndex("distinct_keys"))));
    for (String c : columns) {
      long nulls = stats.getLong(stats.fieldIndex("nulls__" + c));
      out.add(new AuditMetric(side, c, "null_rate", n == 0 ? null : nulls / (double) n));
    }
    for (String c : numeric) {
      out.add(new AuditMetric(side, c, "min", doubleOrNull(stats, "min__" + c)));
      out.add(new AuditMetric(side, c, "max", doubleOrNull(stats, "max__" + c)));
      out.add(new AuditMetric(side, c, "mean", doubleOrNull(stats, "mean__" + c)));
      out.add(new AuditMetric(side, c, "stddev", doubleOrNull(stats, "stddev__" + c)));
      int qi = stats.fieldIndex("q__" + c);
      List<Object> qs = stats.isNullAt(qi) ? List.of() : stats.getList(qi);
      String[] names = {"p05", "p50", "p95"};
      for (int i = 0; i < names.length; i++) {
        out.add(new AuditMetric(side, c, names[i], i < qs.size() && qs.get(i) != null ? ((Number) qs.get(i)).doubleValue() : null));
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
