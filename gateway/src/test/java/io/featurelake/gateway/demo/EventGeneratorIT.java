package io.featurelake.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The generator against real local Spark and Iceberg. Each test owns its own days of
 * {@code lake.raw.events}, so the order the tests run in does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventGeneratorIT {

  private static final int PER_DAY = 2_000;

  private SparkSession spark;
  private final EventGenerator generator = new EventGenerator();

  private Path home;

  @BeforeAll
  void startSpark() throws java.io.IOException {
    // Not @TempDir: JUnit's clean-up raced Spark's last writes into the home (DirectoryNotEmptyException).
    home = java.nio.file.Files.createTempDirectory("featurelake-generator-it-");
    spark = LakeSessions.create(TestConfigs.embedded(home, TestPorts.free()));
  }

  @AfterAll
  void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
    org.apache.commons.io.FileUtils.deleteQuietly(home.toFile());
  }

  @Test
  void writesEventsPerDayIntoADayPartitionedFormatV2Table() throws Exception {
    GenerationResult r = generate("2023-01-01", "2023-01-03", options().build());

    assertThat(r.table()).isEqualTo("lake.raw.events");
    assertThat(r.days()).isEqualTo(2);
    assertThat(r.rowsWritten()).isEqualTo(2 * PER_DAY);
    assertThat(countsPerDay("2023-01-01", "2023-01-03")).containsExactly(
        Map.entry("2023-01-01", (long) PER_DAY), Map.entry("2023-01-02", (long) PER_DAY));
    assertThat(spark.table("lake.raw.events").schema().simpleString()).isEqualTo(
        "struct<event_id:string,event_ts:timestamp,user_id:bigint,item_id:bigint,session_id:string,"
            + "event_type:string,amount:decimal(12,2),country:string,device:string>");

    Table table = Spark3Util.loadIcebergTable(spark, "lake.raw.events");
    assertThat(table.spec().toString()).contains("event_ts_day: day(");
    assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
    Snapshot snapshot = table.snapshot(r.snapshotId());
    assertThat(snapshot.summary())
        .containsEntry("featurelake.window", "[2023-01-01, 2023-01-03)")
        .containsEntry("featurelake.generator.options", "events_per_day=2000, users=50000, items=5000, seed=42, mode=normal")
        .containsEntry("added-records", String.valueOf(2 * PER_DAY));
  }

  @Test
  void valuesLookLikeAShopsClickStream() {
    generate("2023-06-01", "2023-06-02", options().eventsPerDay(20_000).build());
    spark.sql("SELECT * FROM lake.raw.events WHERE event_ts >= '2023-06-01' AND event_ts < '2023-06-02'")
        .cache().createOrReplaceTempView("june1");
    Row s = spark.sql("SELECT count(*) AS n, "
        + "avg(IF(event_type = 'view', 1, 0)) AS views, avg(IF(event_type = 'click', 1, 0)) AS clicks, "
        + "avg(IF(event_type = 'add_to_cart', 1, 0)) AS carts, avg(IF(event_type = 'purchase', 1, 0)) AS purchases, "
        + "count_if(event_type = 'purchase' AND (amount IS NULL OR amount <= 0)) AS bad_purchase_amounts, "
        + "count_if(event_type <> 'purchase' AND amount IS NOT NULL) AS amounts_outside_purchases, "
        + "avg(IF(country IS NULL, 1, 0)) AS null_country, "
        + "count_if(device NOT IN ('mobile', 'desktop', 'tablet') OR device IS NULL) AS bad_devices, "
        + "min(user_id) AS min_user, max(user_id) AS max_user, max(item_id) AS max_item, "
        + "CAST(min(event_ts) AS STRING) AS first_ts, CAST(max(event_ts) AS STRING) AS last_ts "
        + "FROM june1").first();
    assertThat(spark.sql("SELECT count(DISTINCT event_id) FROM june1").first().getLong(0)).isEqualTo(20_000L);
    assertThat(spark.sql("SELECT count(DISTINCT country) FROM june1").first().getLong(0)).isEqualTo(10L);
    Row sessions = spark.sql("SELECT avg(n), max(n), max(users), max(devices) FROM (SELECT session_id, count(*) AS n, "
        + "count(DISTINCT user_id) AS users, count(DISTINCT device) AS devices FROM june1 GROUP BY session_id)").first();
    assertThat(sessions.getDouble(0)).as("mean events per session").isBetween(3.0, 5.0);
    assertThat(sessions.getLong(1)).as("max events per session").isLessThanOrEqualTo(8L);
    assertThat(sessions.getLong(2)).as("users per session").isEqualTo(1L);
    assertThat(sessions.getLong(3)).as("devices per session").isEqualTo(1L);
    assertThat(s.<Long>getAs("n")).isEqualTo(20_000L);
    assertThat(s.<Double>getAs("views")).isCloseTo(0.70, within(0.02));
    assertThat(s.<Double>getAs("clicks")).isCloseTo(0.20, within(0.02));
    assertThat(s.<Double>getAs("carts")).isCloseTo(0.07, within(0.01));
    assertThat(s.<Double>getAs("purchases")).isCloseTo(0.03, within(0.01));
    assertThat(s.<Long>getAs("bad_purchase_amounts")).isZero();
    assertThat(s.<Long>getAs("amounts_outside_purchases")).isZero();
    assertThat(s.<Double>getAs("null_country")).isCloseTo(0.02, within(0.015));
    assertThat(s.<Long>getAs("bad_devices")).isZero();
    assertThat(s.<Long>getAs("min_user")).isGreaterThanOrEqualTo(1L);
    assertThat(s.<Long>getAs("max_user")).isLessThanOrEqualTo(50_000L);
    assertThat(s.<Long>getAs("max_item")).isLessThanOrEqualTo(5_000L);
    assertThat(s.<String>getAs("first_ts")).startsWith("2023-06-01 0");
    assertThat(s.<String>getAs("last_ts")).startsWith("2023-06-01 23");

    // Skew: the most active 1% of users make far more than 1% of the events.
    double topShare = spark.sql("SELECT sum(n) / 20000 FROM (SELECT user_id, count(*) AS n FROM june1 "
        + "GROUP BY user_id ORDER BY n DESC LIMIT 500)")
        .first().getDouble(0);
    assertThat(topShare).isGreaterThan(0.15);
    // Daily curve: the evening is busier than the small hours.
    Row curve = spark.sql("SELECT count_if(hour(event_ts) BETWEEN 19 AND 21) AS evening, "
        + "count_if(hour(event_ts) BETWEEN 2 AND 4) AS night FROM june1").first();
    assertThat(curve.getLong(0)).isGreaterThan(3 * curve.getLong(1));
    spark.catalog().dropTempView("june1");
  }

  @Test
  void sameInputsGiveTheSameRowsWhateverThePartitioning() {
    GeneratorOptions options = options().partitions(1).build();
    generate("2023-02-01", "2023-02-03", options);
    List<Object> first = checksum("2023-02-01", "2023-02-03");

    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      spark.conf().set("spark.sql.shuffle.partitions", "3");
      generate("2023-02-01", "2023-02-03", options.toBuilder().partitions(7).build());
      assertThat(checksum("2023-02-01", "2023-02-03")).isEqualTo(first);
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
    // The lazy DataFrame, shuffled around, holds the same rows as the table.
    LocalDate start = LocalDate.parse("2023-02-01");
    generator.events(spark, start, start.plusDays(2), options.toBuilder().partitions(5).build()).repartition(4)
        .createOrReplaceTempView("regenerated");
    assertThat(checksumOf("regenerated", "2023-02-01", "2023-02-03")).isEqualTo(first);

    generate("2023-02-01", "2023-02-03", options.toBuilder().seed(43).build());
    assertThat(checksum("2023-02-01", "2023-02-03")).isNotEqualTo(first);
  }

  @Test
  void regeneratingADayReplacesItWithoutDuplicates() {
    generate("2023-03-01", "2023-03-04", options().build());
    List<Object> before = checksum("2023-03-01", "2023-03-04");
    Table table = loadTable();
    long snapshotsBefore = count(table.snapshots());

    GenerationResult again = generate("2023-03-02", "2023-03-03", options().build());

    assertThat(again.rowsWritten()).isEqualTo(PER_DAY);
    assertThat(countsPerDay("2023-03-01", "2023-03-04")).containsExactly(
        Map.entry("2023-03-01", (long) PER_DAY), Map.entry("2023-03-02", (long) PER_DAY),
        Map.entry("2023-03-03", (long) PER_DAY));
    assertThat(spark.sql("SELECT count(*) - count(DISTINCT event_id) FROM lake.raw.events").first().getLong(0)).isZero();
    assertThat(checksum("2023-03-01", "2023-03-04")).isEqualTo(before);
    Table after = loadTable();
    assertThat(count(after.snapshots())).isEqualTo(snapshotsBefore + 1);
    assertThat(after.currentSnapshot().snapshotId()).isEqualTo(again.snapshotId());
    assertThat(after.currentSnapshot().operation()).isEqualTo("overwrite");

    // More events for the same day: the old ones are gone, not mixed in.
    generate("2023-03-02", "2023-03-03", options().eventsPerDay(500).build());
    assertThat(countsPerDay("2023-03-01", "2023-03-04")).containsEntry("2023-03-02", 500L)
        .containsEntry("2023-03-01", (long) PER_DAY).containsEntry("2023-03-03", (long) PER_DAY);
  }

  @Test
  void nullAmountsModeBlanksAboutThirtyPercentOfPurchaseAmounts() {
    generate("2023-04-01", "2023-04-02", options().eventsPerDay(20_000).mode(GeneratorMode.NULL_AMOUNTS).build());
    Row r = spark.sql("SELECT count(*) AS purchases, avg(IF(amount IS NULL, 1.0D, 0.0D)) AS null_rate, "
        + "count_if(amount IS NOT NULL AND event_type <> 'purchase') AS stray "
        + "FROM lake.raw.events WHERE event_type = 'purchase' AND to_date(event_ts) = '2023-04-01'").first();
    assertThat(r.getLong(0)).isGreaterThan(400L);
    assertThat(r.getDouble(1)).isCloseTo(0.30, within(0.06));

    generate("2023-04-01", "2023-04-02", options().eventsPerDay(20_000).build());
    assertThat(spark.sql("SELECT count_if(amount IS NULL) FROM lake.raw.events "
        + "WHERE event_type = 'purchase' AND to_date(event_ts) = '2023-04-01'").first().getLong(0)).isZero();
  }

  @Test
  void shiftedModeTriplesAmountsAndChangesTheMix() {
    generate("2023-05-01", "2023-05-02", options().eventsPerDay(20_000).build());
    Row normal = purchaseStats("2023-05-01");
    generate("2023-05-01", "2023-05-02", options().eventsPerDay(20_000).mode(GeneratorMode.SHIFTED).build());
    Row shifted = purchaseStats("2023-05-01");

    assertThat(shifted.getDouble(0) / normal.getDouble(0)).isCloseTo(3.0, within(0.45));
    assertThat(normal.getDouble(1)).isCloseTo(0.03, within(0.01));
    assertThat(shifted.getDouble(1)).isCloseTo(0.08, within(0.015));
  }

  @Test
  void invalidArgumentsAreRejectedBeforeAnythingIsWritten() {
    LocalDate jan5 = LocalDate.of(2023, 1, 5);
    assertInvalid(() -> generator.generate(spark, jan5, LocalDate.of(2023, 1, 2), GeneratorOptions.defaults()),
        "end_date must be after start_date, got start_date=2023-01-05, end_date=2023-01-02");
    assertInvalid(() -> generator.generate(spark, LocalDate.of(2000, 1, 1), LocalDate.of(2020, 1, 1), GeneratorOptions.defaults()),
        "the window from start_date=2000-01-01 to end_date=2020-01-01 spans 7305 days; at most 3660 are allowed");
    assertInvalid(() -> GeneratorOptions.builder().eventsPerDay(0).build(),
        "events_per_day must be between 1 and 100000000, got 0");
    assertInvalid(() -> GeneratorOptions.builder().mode("drifted"),
        "mode must be one of normal, null_amounts, shifted, got 'drifted'");
  }

  @Test
  void generateEventsProcedureWritesAndReportsOneRow() {
    Row r = spark.sql("CALL lake.platform.generate_events(start_date => '2023-07-01', end_date => '2023-07-03', "
        + "events_per_day => 1500, seed => 7, mode => 'SHIFTED')").first();
    assertThat(r.schema().fieldNames()).containsExactly("table", "start_date", "end_date", "days", "rows_written",
        "snapshot_id", "seconds");
    assertThat(r.<String>getAs("table")).isEqualTo("lake.raw.events");
    assertThat(r.<Date>getAs("start_date").toLocalDate()).isEqualTo(LocalDate.of(2023, 7, 1));
    assertThat(r.<Date>getAs("end_date").toLocalDate()).isEqualTo(LocalDate.of(2023, 7, 3));
    assertThat(r.<Integer>getAs("days")).isEqualTo(2);
    assertThat(r.<Long>getAs("rows_written")).isEqualTo(3_000L);
    assertThat(r.<Long>getAs("snapshot_id")).isEqualTo(loadTable().currentSnapshot().snapshotId());
    assertThat(r.<Double>getAs("seconds")).isPositive();
    assertThat(countsPerDay("2023-07-01", "2023-07-03")).containsExactly(
        Map.entry("2023-07-01", 1_500L), Map.entry("2023-07-02", 1_500L));
    assertThat(loadTable().currentSnapshot().summary())
        .containsEntry("featurelake.generator.options", "events_per_day=1500, users=50000, items=5000, seed=7, mode=shifted");

    // Positional, defaults for the rest, and the same rows as the Java service gives.
    spark.sql("CALL lake.platform.generate_events('2023-07-03', '2023-07-04', 2000)").collect();
    List<Object> viaSql = checksum("2023-07-03", "2023-07-04");
    generate("2023-07-03", "2023-07-04", options().build());
    assertThat(checksum("2023-07-03", "2023-07-04")).isEqualTo(viaSql);
  }

  @Test
  void generateEventsProcedureNamesBadArguments() {
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-13-01', end_date => '2023-12-02')",
        "lake.platform.generate_events: start_date must be an ISO date (YYYY-MM-DD), got '2023-13-01'");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023/01/02')",
        "lake.platform.generate_events: end_date must be an ISO date (YYYY-MM-DD), got '2023/01/02'");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023-01-02', mode => 'weird')",
        "lake.platform.generate_events: mode must be one of normal, null_amounts, shifted, got 'weird'");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-05', end_date => '2023-01-02')",
        "lake.platform.generate_events: end_date must be after start_date, got start_date=2023-01-05, end_date=2023-01-02");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023-01-02', events_per_day => 0)",
        "lake.platform.generate_events: events_per_day must be between 1 and 100000000, got 0");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-01', end_date => '2023-01-02', users => -1)",
        "lake.platform.generate_events: users must be between 1 and 1000000000, got -1");
    assertCallFails("CALL lake.platform.generate_events(start_date => '2023-01-01')",
        "lake.platform.generate_events: missing required argument 'end_date'; usage: lake.platform.generate_events("
            + "start_date STRING, end_date STRING, [events_per_day BIGINT = 100000], [seed BIGINT = 42], "
            + "[mode STRING = 'normal'], [users BIGINT = 50000], [items BIGINT = 5000])");
    assertCallFails("CALL lake.platform.generate_events(start_date => DATE '2023-01-01', end_date => '2023-01-02')",
        "lake.platform.generate_events: argument 'start_date' must be STRING, got DATE DATE '2023-01-01'");
  }

  private GenerationResult generate(String start, String end, GeneratorOptions options) {
    return generator.generate(spark, LocalDate.parse(start), LocalDate.parse(end), options);
  }

  private static GeneratorOptions.Builder options() {
    return GeneratorOptions.builder().eventsPerDay(PER_DAY);
  }

  private Map<String, Long> countsPerDay(String start, String end) {
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : spark.sql("SELECT CAST(to_date(event_ts) AS STRING) AS day, count(*) AS n FROM lake.raw.events "
        + "WHERE event_ts >= '" + start + "' AND event_ts < '" + end + "' GROUP BY 1").collectAsList()) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  private List<Object> checksum(String start, String end) {
    return checksumOf("lake.raw.events", start, end);
  }

  /** Row count and an order-independent sum of row hashes; equal for equal multisets of rows. */
  private List<Object> checksumOf(String table, String start, String end) {
    Row r = spark.sql("SELECT count(*), sum(CAST(xxhash64(event_id, event_ts, user_id, item_id, session_id, event_type, "
        + "amount, country, device) AS DECIMAL(38,0))) FROM " + table
        + " WHERE event_ts >= '" + start + "' AND event_ts < '" + end + "'").first();
    return List.of(r.get(0), r.get(1));
  }

  private Row purchaseStats(String day) {
    return spark.sql("SELECT avg(IF(event_type = 'purchase', CAST(amount AS DOUBLE), NULL)), "
        + "avg(IF(event_type = 'purchase', 1.0D, 0.0D)) FROM lake.raw.events WHERE to_date(event_ts) = '" + day + "'").first();
  }

  private Table loadTable() {
    try {
      return Spark3Util.loadIcebergTable(spark, "lake.raw.events");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(Iterable<?> items) {
    long n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  private void assertCallFails(String sql, String message) {
    assertInvalid(() -> spark.sql(sql).collect(), message);
  }

  private static void assertInvalid(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(PlatformException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROCEDURE_ARGUMENT);
      assertThat(e).hasMessage(message);
    });
  }
}
