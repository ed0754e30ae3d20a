package io.featurelake.gateway.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * {@code TrainingSetBenchmark [spine_rows=1000000] [users=20000] [items=5000] [days=60]}: the
 * as-known-at join of a spine with two views over {@code days} days, as the sweep
 * ({@link AsOfJoin}) and as the plain "join on entity and event time <= label time (and visible
 * at the label), then rank" on the very same inputs, in one JVM; checks the rows are identical.
 *
 * <p>The views' event days lie in the {@code days} days after today, so every row was published
 * (now) before every label and the whole history is in play; the TTL (90 days) covers all of
 * it, so neither side gains from partition pruning. Each view is written by several runs, one of
 * which re-backfills days already published (rows on main for a while, then replaced).
 */
public final class TrainingSetBenchmark {

  private TrainingSetBenchmark() {}

  public static void main(String[] args) throws Exception {
    long spineRows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int items = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int days = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    Path home = Files.createTempDirectory("featurelake-training-bench-");
    Path features = home.resolve("features");
    Files.createDirectories(features);
    writeView(features, "bench_users", "user_id");
    writeView(features, "bench_items", "item_id");
    SparkSession spark = LakeSessions.create(TestConfigs.load(home, TestPorts.free(),
        Map.of("FEATURELAKE_FEATURES_DIR", features.toString())));
    long t0 = System.nanoTime();
    long firstDay = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay() + 1;
    long featureRows = write(spark, "bench_users", "user_id", users, 0.5, firstDay, days)
        + write(spark, "bench_items", "item_id", items, 0.8, firstDay, days);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.ml");
    spark.range(spineRows).selectExpr("CAST(pmod(xxhash64(id, 1), " + users + ") AS BIGINT) AS user_id",
        "CAST(pmod(xxhash64(id, 2), " + items + ") AS BIGINT) AS item_id",
        "timestamp_micros(" + firstDay * 86_400_000_000L + " + CAST(pmod(xxhash64(id, 3), " + days * 86_400_000_000L
            + ") AS BIGINT)) AS label_time", "CAST(pmod(id, 2) AS INT) AS label")
        .writeTo("lake.ml.bench_labels").using("iceberg").createOrReplace();
    double setup = (System.nanoTime() - t0) / 1e9;

    List<JoinedView> views = List.of(view("bench_users", "user_id"), view("bench_items", "item_id"));
    Dataset<Row> spine = spark.table("lake.ml.bench_labels")
        .withColumn("__label_us", functions.unix_micros(col("label_time")));
    Row range = spine.agg(functions.min("__label_us"), functions.max("__label_us")).first();
    List<Dataset<Row>> histories = new ArrayList<>();
    for (JoinedView v : views) {
      Table table = new FeatureTables(spark).load(v.name());
      List<PinnedSnapshot> pins = FeatureHistory.asKnownAtPins(table, v.tableName(), range.getLong(0), range.getLong(1));
      histories.add(FeatureHistory.read(spark, table, v.tableName(), v, pins, range.getLong(0) - v.ttlMicros(),
          range.getLong(1)).cache());
    }
    histories.forEach(Dataset::count); // both sides start from the same materialised inputs
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));

    // Warm-up of both plans on a tenth of the spine, then one measured run each, alternating order.
    sweep(spine.limit((int) (spineRows / 10)), views, histories, partitions).write().format("noop").mode("overwrite").save();
    plain(spine.limit((int) (spineRows / 10)), views, histories).write().format("noop").mode("overwrite").save();
    double sweepSeconds = time(() -> sweep(spine, views, histories, partitions).write().format("noop").mode("overwrite").save());
    double plainSeconds = time(() -> plain(spine, views, histories).write().format("noop").mode("overwrite").save());
    Dataset<Row> a = sweep(spine, views, histories, partitions).drop("__run_0", "__run_1");
    Dataset<Row> b = plain(spine, views, histories).select(a.columns()[0], java.util.Arrays.copyOfRange(a.columns(), 1, a.columns().length));
    long onlySweep = a.exceptAll(b).count();
    long onlyPlain = b.exceptAll(a).count();
    long matched = a.where(col("bench_users__event_time").isNotNull()).count();

    System.out.printf("Training-set join benchmark: spine %,d rows, views bench_users (%d users) and bench_items (%d items) "
        + "over %d days, %,d feature rows in all (setup %.1f s)%n", spineRows, users, items, days, featureRows, setup);
    System.out.printf("Spark %s, master %s, %d cores, java %s, max heap %d MB, load average %.2f at the end%n%n",
        spark.version(), spark.sparkContext().master(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("| join                                   | seconds | spine rows/s |");
    System.out.println("|----------------------------------------|--------:|-------------:|");
    System.out.printf("| sweep (AsOfJoin, as_known_at)          | %7.2f | %12s |%n", sweepSeconds, String.format("%,.0f", spineRows / sweepSeconds));
    System.out.printf("| plain join on entity and time, rank    | %7.2f | %12s |%n", plainSeconds, String.format("%,.0f", spineRows / plainSeconds));
    System.out.printf("%nspeed-up (plain / sweep): %.2fx; rows only in sweep: %d, only in plain: %d (identical: %s); "
        + "spine rows with a bench_users value: %,d%n", plainSeconds / sweepSeconds, onlySweep, onlyPlain,
        onlySweep == 0 && onlyPlain == 0, matched);
    spark.stop();
  }

  private static Dataset<Row> sweep(Dataset<Row> spine, List<JoinedView> views, List<Dataset<Row>> histories, int partitions) {
    Dataset<Row> rows = spine;
    for (int i = 0; i < views.size(); i++) {
      rows = AsOfJoin.join(rows, "__label_us", views.get(i), histories.get(i), "__run_" + i, partitions);
    }
    return rows.drop("__label_us");
  }

  /** The textbook point-in-time join: every (label, earlier visible row) pair, then the latest per label. */
  private static Dataset<Row> plain(Dataset<Row> spine, List<JoinedView> views, List<Dataset<Row>> histories) {
    Dataset<Row> rows = spine.withColumn("__sid", functions.monotonically_increasing_id());
    for (int i = 0; i < views.size(); i++) {
      JoinedView v = views.get(i);
      Dataset<Row> h = histories.get(i).toDF(histories.get(i).columns());
      String e = v.entityColumns().get(0);
      Dataset<Row> hr = h.select(col(e).as("__e"), col("__et"), col("__vf"), col("__vu"), col("__file"), col("__pos"),
          functions.struct(v.features().stream().map(functions::col).toArray(Column[]::new)).as("__f"));
      Dataset<Row> pairs = rows.select(col("__sid"), col(v.spineColumns().get(0)).as("__k"), col("__label_us"))
          .join(hr, col("__k").equalTo(col("__e")).and(col("__et").leq(col("__label_us")))
              .and(functions.coalesce(col("__vf"), col("__et")).leq(col("__label_us")))
              .and(col("__vu").isNull().or(col("__label_us").lt(col("__vu"))))
              .and(col("__et").geq(col("__label_us").minus(v.ttlMicros()))));
      Dataset<Row> best = pairs.withColumn("__rank", functions.row_number().over(Window.partitionBy("__sid")
              .orderBy(col("__et").desc(), expr("coalesce(__vf, -9223372036854775808)").desc(), col("__file").desc(),
                  col("__pos").desc())))
          .where("__rank = 1").select(col("__sid").as("__bsid"), col("__f"), col("__et").as("__bet"));
      List<Column> out = new ArrayList<>();
      for (String c : rows.columns()) {
        out.add(col(c));
      }
      for (String f : v.features()) {
        out.add(col("__f." + f).as(v.outputColumn(f)));
      }
      out.add(functions.timestamp_micros(col("__bet")).as(v.eventTimeOutput()));
      rows = rows.join(best, col("__sid").equalTo(col("__bsid")), "left").select(out.toArray(new Column[0]));
    }
    return rows.drop("__sid", "__label_us");
  }

  private static JoinedView view(String name, String entity) {
    List<String> features = name.equals("bench_users") ? List.of("events", "amount", "sessions") : List.of("views", "rate");
    return new JoinedView(name, FeatureTables.tableName(name), List.of(entity), List.of(entity), "event_date", features,
        90L * 86400, "-", null);
  }

  /** Three runs over the days plus one that re-backfills a week already published. */
  private static long write(SparkSession spark, String name, String entity, int entities, double density, long firstDay,
      int days) throws Exception {
    List<String> select = new ArrayList<>(List.of("e AS " + entity,
        "date_from_unix_date(CAST(" + firstDay + " + d AS INT)) AS event_date"));
    select.addAll(name.equals("bench_users")
        ? List.of("CAST(pmod(xxhash64(e, d, r), 40) AS BIGINT) AS events",
            "CAST(pmod(xxhash64(e, d, r, 1), 10000) AS DOUBLE) / 100 AS amount",
            "CAST(pmod(xxhash64(e, d, r, 2), 6) AS BIGINT) AS sessions")
        : List.of("CAST(pmod(xxhash64(e, d, r), 500) AS BIGINT) AS views",
            "CAST(pmod(xxhash64(e, d, r, 1), 1000) AS DOUBLE) / 1000 AS rate"));
    String table = FeatureTables.tableName(name);
    int third = Math.max(1, days / 3);
    int[][] windows = {{0, third}, {third, 2 * third}, {2 * third, days}, {third, third + 7}};
    for (int run = 0; run < windows.length; run++) {
      Dataset<Row> rows = spark.range(entities).withColumnRenamed("id", "e")
          .crossJoin(spark.range(windows[run][0], windows[run][1]).withColumnRenamed("id", "d"))
          .withColumn("r", functions.lit(run))
          .where("pmod(xxhash64(e, d), 1000) < " + (int) (density * 1000))
          .selectExpr(select.toArray(new String[0]));
      if (run == 0) {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.features");
        rows.limit(0).createOrReplaceTempView("bench_empty");
        spark.sql("CREATE TABLE " + table + " USING iceberg PARTITIONED BY (days(event_date)) "
            + "TBLPROPERTIES ('format-version'='2') AS SELECT * FROM bench_empty");
      }
      rows.writeTo(table).option("snapshot-property.featurelake.run-id", String.valueOf(run + 1)).overwritePartitions();
      Thread.sleep(5);
    }
    return spark.table(table).count();
  }

  private static void writeView(Path dir, String name, String entity) throws Exception {
    Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\ndescription: benchmark view\nowner: bench@example.com\n"
        + "entities: [" + entity + "]\nevent_timestamp: event_date\nsources: [lake.raw.events]\nonline:\n  ttl: 90d\n");
    Files.writeString(dir.resolve(name + ".sql"), "SELECT 1 AS " + entity + ", date(event_ts) AS event_date FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00'");
  }

  private static double time(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }
}
