package io.featurelake.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The README's quick start through the {@code CALL}s, on whatever master the session has, and
 * what it leaves behind in a form two runs can be compared with: every table's rows, every
 * audit verdict, every Redis hash of the views.
 */
final class QuickStart {

  static final String USERS = "user_activity_daily";
  static final String ITEMS = "item_popularity_daily";
  /** Small but dense demo data: enough purchases per item and day for the drift checks to see the shift. */
  static final String EVENTS = "events_per_day => 8000, users => 2000, items => 300";
  static final String TRAINING_SET = "cluster_check";

  /** What a quick start left: rows per table (sorted), audit lines per run, Redis hashes by key without prefix. */
  record Outcome(Map<String, List<Row>> tables, List<String> audits, Map<String, Map<String, String>> redis,
      List<String> verifications, List<String> reproductions, List<String> maintained) {}

  private final SparkSession spark;
  private final List<String> audits = new ArrayList<>();
  private final List<String> verifications = new ArrayList<>();
  private final List<String> reproductions = new ArrayList<>();
  private final List<String> maintained = new ArrayList<>();

  private QuickStart(SparkSession spark) {
    this.spark = spark;
  }

  static Outcome run(SparkSession spark, String keyPrefix, List<Integer> redisPorts) {
    return new QuickStart(spark).run(keyPrefix, redisPorts);
  }

  private Row call(String procedure) {
    return spark.sql("CALL lake.platform." + procedure).collectAsList().get(0);
  }

  private Outcome run(String keyPrefix, List<Integer> redisPorts) {
    // A week of demo events and the 6 days of lookback before it; both views backfilled over the week.
    call("generate_events(start_date => '2022-12-26', end_date => '2023-01-08', " + EVENTS + ")");
    long usersRun = backfill(USERS, "2023-01-01", "2023-01-08", "PUBLISHED");
    backfill(ITEMS, "2023-01-01", "2023-01-08", "PUBLISHED");

    // The failed audit: the first day regenerated in the shifted mode; the drift checks stop the publish.
    call("generate_events(start_date => '2023-01-01', end_date => '2023-01-02', " + EVENTS + ", mode => 'shifted')");
    backfill(ITEMS, "2023-01-01", "2023-01-02", "FAILED");
    call("generate_events(start_date => '2023-01-01', end_date => '2023-01-02', " + EVENTS + ")");

    for (String view : List.of(USERS, ITEMS)) {
      Row sync = call("sync_online(feature_view => '" + view + "')");
      assertThat(sync.getAs("mode").toString()).isEqualTo("FULL");
      verifications.add(verify(view));
    }
    for (Row r : spark.sql("CALL lake.platform.run_maintenance()").collectAsList()) {
      maintained.add(r.getAs("table_name"));
    }
    for (Row r : spark.sql("CALL lake.platform.reproduce_run(run_id => " + usersRun + ")").collectAsList()) {
      reproductions.add(r.getAs("verdict") + " " + r.getAs("partition") + " " + r.getAs("status") + " "
          + r.getAs("recomputed_rows") + " " + r.getAs("recomputed_checksum"));
    }

    // Labels for users and items seen late in the week; features by event time (the labels' time is in 2023).
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.ml");
    spark.sql("CREATE TABLE lake.ml.labels USING iceberg AS SELECT user_id, item_id, TIMESTAMP '2023-01-06 12:00:00' AS label_time, "
        + "CAST(user_id % 2 AS INT) AS label FROM (SELECT DISTINCT user_id, item_id FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '2023-01-04 00:00:00' AND user_id % 7 = 0 ORDER BY user_id, item_id LIMIT 300)");
    call("build_training_set(name => '" + TRAINING_SET + "', spine => 'lake.ml.labels', "
        + "features => 'user_activity_daily.*, item_popularity_daily.view_count', mode => 'event_time')");

    Map<String, List<Row>> tables = new LinkedHashMap<>();
    for (String table : List.of("lake.raw.events", "lake.features." + USERS, "lake.features." + ITEMS, "lake.ml.labels",
        "lake.training." + TRAINING_SET)) {
      tables.put(table, sortedRows(table));
    }
    return new Outcome(tables, List.copyOf(audits), redis(keyPrefix, redisPorts), List.copyOf(verifications),
        List.copyOf(reproductions), List.copyOf(maintained));
  }

  private long backfill(String view, String start, String end, String expectedState) {
    Row r = call("start_backfill(feature_view => '" + view + "', start_date => '" + start + "', end_date => '" + end + "')");
    long runId = r.getAs("run_id");
    assertThat(r.getAs("state").toString()).as("run %d of %s: %s", runId, view, r.getAs("message")).isEqualTo(expectedState);
    audits.add("run " + runId + " " + view + " " + r.getAs("window") + " " + r.getAs("state") + " rows=" + r.getAs("row_count"));
    for (Row check : spark.sql("CALL lake.platform.audit_report(run_id => " + runId + ")").collectAsList()) {
      audits.add("  " + check.getAs("verdict") + " " + check.getAs("check") + "(" + check.getAs("column") + ") passed="
          + check.getAs("passed") + " observed=" + check.getAs("observed") + " threshold=" + check.getAs("threshold"));
    }
    return runId;
  }

  private String verify(String view) {
    Row v = call("verify_online(feature_view => '" + view + "')");
    String line = view + ": checked=" + v.getAs("checked") + " matching=" + v.getAs("matching") + " missing=" + v.getAs("missing")
        + " stale=" + v.getAs("stale") + " extra=" + v.getAs("extra") + " redis_keys=" + v.getAs("redis_keys");
    assertThat(List.of((Long) v.getAs("missing"), (Long) v.getAs("stale"), (Long) v.getAs("extra"))).as(line).containsOnly(0L);
    assertThat((Long) v.getAs("matching")).as(line).isEqualTo((Long) v.getAs("checked")).isPositive();
    return line;
  }

  /** Every row of a table, ordered by all its columns. */
  List<Row> sortedRows(String table) {
    var df = spark.table(table);
    Column[] order = java.util.Arrays.stream(df.columns()).map(df::col).toArray(Column[]::new);
    return df.orderBy(order).collectAsList();
  }

  /** Every hash under {@code <prefix>:} on every master, by key without the prefix. */
  static Map<String, Map<String, String>> redis(String keyPrefix, List<Integer> ports) {
    Map<String, Map<String, String>> all = new TreeMap<>();
    for (int port : ports) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          ScanResult<String> page = j.scan(cursor, new ScanParams().match(keyPrefix + ":*").count(1000));
          for (String key : page.getResult()) {
            // Entity hashes by content; a view's sync marker holds a snapshot id, which differs between two lakes.
            all.put(key.substring(keyPrefix.length() + 1), key.contains(":{") ? new TreeMap<>(j.hgetAll(key))
                : Map.of("(marker)", j.type(key)));
          }
          cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
    }
    return all;
  }
}
