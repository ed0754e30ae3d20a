package io.featurelake.gateway.bench;

import io.featurelake.gateway.maintenance.MaintenanceRequest;
import io.featurelake.gateway.maintenance.MaintenanceService;
import io.featurelake.gateway.maintenance.SyncCursorSource;
import io.featurelake.gateway.cli.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Times a full-table aggregate on a table built from many small commits, before and after
 * compaction, in one JVM (same warm-up): {@code CompactionBenchmark [commits=200] [rows_per_commit=20000] [repeats=5]}.
 * The time reported is the median of the repeats, after one unmeasured warm-up query.
 */
public final class CompactionBenchmark {

  private static final String TABLE = "lake.bench.small_commits";
  /**
   * The sum is taken as a decimal (amounts have one decimal place): a DOUBLE sum depends on the
   * order rows are added in, which compaction changes, so "same result" could not be checked exactly.
   */
  private static final String QUERY = "SELECT count(*), sum(CAST(amount AS DECIMAL(12, 1))), count(DISTINCT user_id), "
      + "max(event_ts) FROM " + TABLE;

  private CompactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long rows = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 20_000L;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path home = Files.createTempDirectory("featurelake-compaction-bench-");
    Map<String, String> env = new HashMap<>();
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_SPARK_MASTER", System.getenv().getOrDefault("FEATURELAKE_SPARK_MASTER", "local[*]"));
    FeaturelakeConfig config = FeaturelakeConfig.load(env, new Properties(), home);
    LogSetup.toHome(config, "benchmark");
    SparkSession spark = LakeSessions.create(config);
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
      spark.sql("CREATE TABLE " + TABLE + " (user_id BIGINT, amount DOUBLE, event_ts TIMESTAMP) USING iceberg "
          + "TBLPROPERTIES ('format-version' = '2')");
      long t0 = System.nanoTime();
      for (int c = 0; c < commits; c++) {
        // Each commit is a small micro-batch, as a streaming ingester would write: 4 files.
        spark.range(c * rows, (c + 1) * rows, 1, 4)
            .selectExpr("id % 50000 AS user_id", "CAST(id % 997 AS DOUBLE) / 10 AS amount",
                "TIMESTAMP '2023-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id % 86400) AS event_ts")
            .writeTo(TABLE).append();
      }
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("Compaction benchmark: %d commits x %,d rows into %s (built in %.1f s), query: %s%n"
          + "Spark %s, master %s, %d cores, java %s, max heap %d MB, median of %d after a warm-up%n%n",
          commits, rows, TABLE, buildSeconds, QUERY, spark.version(), spark.sparkContext().master(),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20, repeats);

      String resultBefore = spark.sql(QUERY).collectAsList().get(0).toString();
      double before = time(spark, repeats);
      MaintenanceReport report = new MaintenanceService(spark, Platform.current(), SyncCursorSource.NONE)
          .run(new MaintenanceRequest(TABLE, 7, 1, MaintenanceRequest.DEFAULT_TARGET_FILE_SIZE, false, false,
              MaintenanceRequest.MIN_ORPHAN_AGE)).get(0);
      String resultAfter = spark.sql(QUERY).collectAsList().get(0).toString();
      double after = time(spark, repeats);

      System.out.println("|                  | data files | manifests | query seconds |");
      System.out.println("|------------------|-----------:|----------:|--------------:|");
      System.out.printf("| before compaction | %,10d | %,9d | %13.3f |%n", report.dataFilesBefore(), report.manifestsBefore(), before);
      System.out.printf("| after compaction  | %,10d | %,9d | %13.3f |%n", report.dataFilesAfter(), report.manifestsAfter(), after);
      System.out.printf("%nspeed-up (before / after): %.1fx; maintenance took %.1f s; same result: %s (%s)%n",
          before / after, report.durationMs() / 1000.0, resultBefore.equals(resultAfter), resultAfter);
    } finally {
      spark.stop();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double time(SparkSession spark, int repeats) {
    spark.sql(QUERY).collectAsList();
    double[] seconds = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      Row r = spark.sql(QUERY).collectAsList().get(0);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      if (r.getLong(0) < 0) {
        throw new IllegalStateException("unreachable");
      }
    }
    Arrays.sort(seconds);
    return seconds[repeats / 2];
  }
}
