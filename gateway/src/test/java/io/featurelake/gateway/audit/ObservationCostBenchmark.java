package io.featurelake.gateway.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Benchmark (a diagnosis of the WAP overhead): what each part of the write's observation costs,
 * on a view's output rows cached in memory, so the view's own aggregation is out of the figures.
 * Each variant is written to Spark's {@code noop} sink with the aggregates as an observation, and
 * computed as a plain aggregate (what the baseline job beside the write runs); the baseline in
 * the same run is the same rows written without an observation.
 *
 * <p>Args: {@code [events=2000000] [rounds=5] [view=item_popularity_daily]}; 5 days of events.
 */
public final class ObservationCostBenchmark {

  private ObservationCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String viewName = args.length > 2 ? args[2] : "item_popularity_daily";
    Path home = Files.createTempDirectory("featurelake-obs-bench-");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FEATURELAKE_HOME", home.toString());
    FeaturelakeConfig config = FeaturelakeConfig.load(env, System.getProperties(), Path.of("").toAbsolutePath());
    SparkSession spark = LakeSessions.create(config);
    try {
      FeatureViewDefinition view = new BackfillService(spark, Platform.current()).views().load(viewName);
      LocalDate start = LocalDate.of(2023, 1, 1);
      LocalDate end = start.plusDays(5);
      new EventGenerator().generate(spark, start.minusDays(view.lookbackDays()), end,
          GeneratorOptions.builder().eventsPerDay(events / 5).build());
      Dataset<Row> computed = spark.sql(view.render(start, end)).cache();
      long rows = computed.count();
      List<String> columns = List.of(computed.columns());
      List<String> numeric = AuditService.numericFeatures(view, computed);
      List<Column> edgeAggs = ColumnAggregates.edges(numeric);
      Map<String, PsiBins> bins = ColumnAggregates.binsOf(
          computed.agg(edgeAggs.get(0), edgeAggs.subList(1, edgeAggs.size()).toArray(new Column[0])).first(), numeric);
      List<Column> keys = AuditService.keyColumns(view);
      Dataset<Row> numbered = computed.withColumn("row_in_key",
          row_number().over(Window.partitionBy(keys.toArray(new Column[0])).orderBy(keys.toArray(new Column[0]))));

      Map<String, List<Column>> variants = new LinkedHashMap<>();
      variants.put("count(1) only", List.of(count(lit(1)).as("n")));
      List<Column> percentiles = new ArrayList<>();
      List<Column> histograms = new ArrayList<>();
      List<Column> deciles = new ArrayList<>();
      for (String c : numeric) {
        String v = "CAST(`" + c + "` AS DOUBLE)";
        percentiles.add(expr("approx_percentile(" + v + ", array(0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99), 1000)"));
        histograms.add(expr("histogram_numeric(" + v + ", " + (PsiBins.MAX_DISTINCT_VALUES + 1) + ")"));
        deciles.add(expr("approx_percentile(" + v + ", array(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), 10000)"));
      }
      variants.put("reported percentiles only (accuracy 1000)", percentiles);
      variants.put("histogram_numeric only", histograms);
      variants.put("deciles only (accuracy 10000)", deciles);
      variants.put("side, no bins", ColumnAggregates.side(columns, numeric, Map.of(), view.checks().expectations()));
      variants.put("side with bins", ColumnAggregates.side(columns, numeric, bins, view.checks().expectations()));
      List<Column> full = new ArrayList<>(ColumnAggregates.side(columns, numeric, bins, view.checks().expectations()));
      full.add(sum(when(col("row_in_key").gt(1), 1L).otherwise(0L)).as("duplicates"));
      full.addAll(edgeAggs);
      variants.put("full observation (side, bins, duplicates, edges)", full);

      Map<String, List<Double>> times = new LinkedHashMap<>();
      for (int r = 0; r <= rounds; r++) {
        boolean warm = r > 0;
        time(times, warm, "no observation (view rows)", () -> computed.write().format("noop").mode("overwrite").save());
        time(times, warm, "no observation (rows numbered per key)",
            () -> numbered.write().format("noop").mode("overwrite").save());
        int i = 0;
        for (Map.Entry<String, List<Column>> v : variants.entrySet()) {
          List<Column> aggs = v.getValue();
          Column first = aggs.get(0);
          Column[] rest = aggs.subList(1, aggs.size()).toArray(new Column[0]);
          String name = "cost_" + r + "_" + i++;
          time(times, warm, "observe " + v.getKey(),
              () -> numbered.observe(name, first, rest).write().format("noop").mode("overwrite").save());
          time(times, warm, "aggregate " + v.getKey(), () -> numbered.agg(first, rest).collect());
        }
      }
      System.out.printf(Locale.ROOT, "%n%,d output rows of %s (%,d events), %d numeric columns, %d rounds after a warm-up%n",
          rows, viewName, events, numeric.size(), rounds);
      System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s |%n", "what", "median ms", "min ms");
      System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(64), "-".repeat(10) + ":", "-".repeat(10) + ":");
      times.forEach((what, t) -> {
        List<Double> sorted = new ArrayList<>(t);
        sorted.sort(null);
        System.out.printf(Locale.ROOT, "| %-62s | %9.0f | %9.0f |%n", what, sorted.get(sorted.size() / 2), sorted.get(0));
      });
      System.out.println("load average after: " + loadAverage());
    } finally {
      spark.stop();
    }
  }

  private static void time(Map<String, List<Double>> times, boolean record, String what, Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    if (record) {
      times.computeIfAbsent(what, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
    }
  }

  /** The 1-minute load average (Linux), or "n/a". */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "n/a";
    }
  }
}
