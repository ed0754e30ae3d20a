package io.featurelake.gateway.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featurelake.sqlcatalog.features.Expectation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * The aggregate columns of an audit, one list for every place they are computed (the observation
 * of the write, the scan of a branch, the baseline pass), so every side yields the same fields:
 * {@code n}, {@code nulls__c}, {@code min__c} / {@code max__c} / {@code mean__c} / {@code stddev__c}
 * / {@code pct__c} per numeric column, {@code bins__c} (cumulative counts {@code v <= edge} over the
 * column's {@link PsiBins}) and {@code expect__name} (rows violating an expectation); and the
 * fields that fix a column's bins, {@code values__c} and {@code deciles__c} ({@link #edges(List)}).
 */
final class ColumnAggregates {

  /** The percentiles a report shows per numeric column (metrics only; PSI uses exact bins). */
  static final int[] REPORTED_PERCENTILES = {1, 5, 25, 50, 75, 95, 99};
  private static final String PERCENTILES_SQL = IntStream.of(REPORTED_PERCENTILES)
      .mapToObj(p -> String.format(Locale.ROOT, "%.2f", p / 100.0)).collect(Collectors.joining(", ", "array(", ")"));
  private static final String DECILES_SQL = java.util.Arrays.stream(PsiBins.DECILES)
      .mapToObj(q -> String.format(Locale.ROOT, "%.1f", q)).collect(Collectors.joining(", ", "array(", ")"));

  private ColumnAggregates() {}

  /** The aggregates of one side's rows. */
  static List<Column> side(List<String> columns, List<String> numeric, Map<String, PsiBins> bins,
      List<Expectation> expectations) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    for (String c : columns) {
      aggs.add(sum(when(q(c).isNull(), 1L).otherwise(0L)).as("nulls__" + c));
    }
    for (String c : numeric) {
      Column v = q(c).cast("double");
      aggs.add(min(v).as("min__" + c));
      aggs.add(max(v).as("max__" + c));
      aggs.add(mean(v).as("mean__" + c));
      aggs.add(stddev_samp(v).as("stddev__" + c));
      aggs.add(expr("approx_percentile(CAST(" + quoted(c) + " AS DOUBLE), " + PERCENTILES_SQL + ", 1000)").as("pct__" + c));
      PsiBins b = bins.get(c);
      if (b != null) {
        Column[] cumulative = new Column[b.edges().length];
        for (int i = 0; i < cumulative.length; i++) {
          cumulative[i] = sum(when(v.leq(lit(b.edges()[i])), 1L).otherwise(0L));
        }
        aggs.add(array(cumulative).as("bins__" + c));
      }
    }
    for (Expectation e : expectations) {
      // FALSE is a violation; NULL is not (the null-rate checks cover NULLs).
      aggs.add(sum(when(not(expr(e.sql())), 1L).otherwise(0L)).as("expect__" + e.name()));
    }
    return aggs;
  }

  /**
   * The aggregates that fix each numeric column's bins (one pass over a baseline, or observed in a
   * run's write for the run that will compare with it; {@link StoredBins}): its distinct values while
   * there are at most {@link PsiBins#MAX_DISTINCT_VALUES} ({@code histogram_numeric} keeps exact points
   * until it has more distinct values than bins), and its deciles.
   */
  static List<Column> edges(List<String> numeric) {
    List<Column> aggs = new ArrayList<>();
    for (String c : numeric) {
      String v = "CAST(" + quoted(c) + " AS DOUBLE)";
      aggs.add(expr("histogram_numeric(" + v + ", " + (PsiBins.MAX_DISTINCT_VALUES + 1) + ")").as("values__" + c));
      aggs.add(expr("approx_percentile(" + v + ", " + DECILES_SQL + ", 10000)").as("deciles__" + c));
    }
    return aggs;
  }

  /** The bins of each numeric column from the row {@link #edges(List)} computed; columns without values get none. */
  static Map<String, PsiBins> binsOf(Row edges, List<String> numeric) {
    Map<String, PsiBins> out = new LinkedHashMap<>();
    for (String c : numeric) {
      int i = edges.fieldIndex("values__" + c);
      List<Row> points = edges.isNullAt(i) ? List.of() : edges.getList(i);
      double[] values = points.stream().mapToDouble(p -> ((Number) p.get(0)).doubleValue()).toArray();
      double[] counts = points.stream().mapToDouble(p -> ((Number) p.get(1)).doubleValue()).toArray();
      PsiBins b = PsiBins.fromBaseline(values, counts, doubles(edges, "deciles__" + c));
      if (b != null) {
        out.put(c, b);
      }
    }
    return out;
  }

  /** The exact bin counts of {@code column} on one side. */
  static long[] binCounts(Row stats, String column, PsiBins bins) {
    List<Object> cumulative = stats.getList(stats.fieldIndex("bins__" + column));
    long[] c = cumulative.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    long nonNull = stats.getLong(stats.fieldIndex("n")) - stats.getLong(stats.fieldIndex("nulls__" + column));
    return bins.binCounts(c, nonNull);
  }

  /** Whether stats have every field the audit reads (observed stats lack some after a schema change). */
  static boolean hasFields(Row stats, List<String> columns, List<String> numeric, Set<String> binned,
      List<Expectation> expectations) {
    Set<String> names = Set.of(stats.schema().fieldNames());
    return names.contains("n") && columns.stream().allMatch(c -> names.contains("nulls__" + c))
        && numeric.stream().allMatch(c -> names.contains("pct__" + c) && names.contains("mean__" + c))
        && binned.stream().allMatch(c -> names.contains("bins__" + c))
        && expectations.stream().allMatch(e -> names.contains("expect__" + e.name()));
  }

  /** Whether stats hold the fields that fix the bins of every numeric column ({@link #edges(List)}). */
  static boolean hasEdgeFields(Row stats, List<String> numeric) {
    Set<String> names = Set.of(stats.schema().fieldNames());
    return numeric.stream().allMatch(c -> names.contains("values__" + c) && names.contains("deciles__" + c));
  }

  static double[] doubles(Row row, String field) {
    int i = row.fieldIndex(field);
    if (row.isNullAt(i)) {
      return null;
    }
    return row.getList(i).stream().filter(java.util.Objects::nonNull).mapToDouble(o -> ((Number) o).doubleValue()).toArray();
  }

  static Column q(String name) {
    return col(quoted(name));
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
