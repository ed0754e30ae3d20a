package io.featurelake.gateway.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes realistic, reproducible raw click-stream events into {@code lake.raw.events}: a funnel
 * of views, clicks, add-to-carts and purchases by skewed users and items, in sessions, over a
 * daily traffic curve.
 *
 * <p>Every value is a pure function of (seed, day, row number in the day): uniforms come from
 * {@code xxhash64} of those, never from a random generator, so the rows do not depend on the
 * number of partitions, cores or the order tasks run in. The data is built from column
 * expressions over {@code spark.range} (no UDF, nothing collected to the driver) and written
 * with a dynamic partition overwrite: generating a day again replaces that day exactly.
 */
public final class EventGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(EventGenerator.class);

  public static final String TABLE = "lake.raw.events";
  public static final String NAMESPACE = "lake.raw";
  public static final int MAX_DAYS = 3660;

  /** The table's columns, in order. */
  public static final StructType SCHEMA = new StructType()
      .add("event_id", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType)
      .add("user_id", DataTypes.LongType)
      .add("item_id", DataTypes.LongType)
      .add("session_id", DataTypes.StringType)
      .add("event_type", DataTypes.StringType)
      .add("amount", DataTypes.createDecimalType(12, 2))
      .add("country", DataTypes.StringType)
      .add("device", DataTypes.StringType);

  /** Snapshot summary keys this generator stamps on its commits. */
  public static final String PROP_RUN_ID = "featurelake.generator.run-id";
  public static final String PROP_WINDOW = "featurelake.window";
  public static final String PROP_OPTIONS = "featurelake.generator.options";

  /** Rows per generated Spark partition when the partition count is automatic. */
  private static final long ROWS_PER_PARTITION = 2_000_000;
  /** Consecutive rows of a day form a slot of this many events, split into (up to) two sessions. */
  private static final int SLOT = 8;
  /** A session lasts at most this long (seconds), and never crosses midnight. */
  private static final double SESSION_SECONDS = 1800;

  private static final String[] EVENT_TYPES = {"view", "click", "add_to_cart", "purchase"};
  private static final double[] MIX_NORMAL = {0.70, 0.20, 0.07, 0.03};
  private static final double[] MIX_SHIFTED = {0.55, 0.25, 0.12, 0.08};
  /** Skewed like a European shop with global reach; the remaining 2% have no country (NULL). */
  private static final String[] COUNTRIES = {"US", "IN", "DE", "GB", "BR", "FR", "JP", "CA", "ES", "NL"};
  private static final double[] COUNTRY_WEIGHTS = {0.30, 0.14, 0.10, 0.09, 0.08, 0.07, 0.06, 0.06, 0.05, 0.03};
  private static final String[] DEVICES = {"mobile", "desktop", "tablet"};
  private static final double[] DEVICE_WEIGHTS = {0.60, 0.32, 0.08};
  /** Relative traffic per UTC hour: quiet nights, a lunch bump, an evening peak. */
  private static final double[] HOURLY_TRAFFIC = {
      3, 2, 1.5, 1, 1, 1.5, 2.5, 4, 5, 5.5, 5.5, 5.5, 6, 5.5, 5, 5, 5, 5.5, 6.5, 7.5, 8, 7, 5.5, 4};
  /** Popularity skew: index = floor(n * u^k); with k = 3 the top 1% of users make about 22% of sessions. */
  private static final int POPULARITY_EXPONENT = 3;
  /** Item list prices are log-normal: median 20.00, sigma 0.8 (mean about 27.50). */
  private static final double PRICE_MEDIAN = 20.0;
  private static final double PRICE_SIGMA = 0.8;
  private static final double SHIFT_FACTOR = 3.0;
  private static final double NULL_AMOUNT_RATE = 0.30;

  /**
   * Generates {@code options.eventsPerDay()} events for each day of {@code [start, endExclusive)}
   * and replaces those days in {@link #TABLE} (creating namespace and table if missing) in one
   * Iceberg commit.
   */
  public GenerationResult generate(SparkSession spark, LocalDate start, LocalDate endExclusive, GeneratorOptions options) {
    int days = checkWindow(start, endExclusive);
    long t0 = System.nanoTime();
    ensureTable(spark);
    String runId = UUID.randomUUID().toString();
    String window = "[" + start + ", " + endExclusive + ")";
    LOG.info("Generating {} days x {} events into {} ({}) ...", days, options.eventsPerDay(), TABLE, options);
    try {
      events(spark, start, endExclusive, options).writeTo(TABLE)
          // Rows arrive grouped by day already (each task covers consecutive rows): no shuffle needed.
          .option("distribution-mode", "none")
          .option("snapshot-property." + PROP_RUN_ID, runId)
          .option("snapshot-property." + PROP_WINDOW, window)
          .option("snapshot-property." + PROP_OPTIONS, options.toString())
          .overwritePartitions();
    } catch (NoSuchTableException e) {
      throw new PlatformException(ErrorCode.NOT_FOUND, TABLE + " disappeared while generating into it", e);
    }
    long snapshotId = committedSnapshot(spark, runId);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    long rows = days * options.eventsPerDay();
    LOG.info("Generated {} rows into {} in {} s (snapshot {})", rows, TABLE, took.toMillis() / 1000.0, snapshotId);
    return new GenerationResult(TABLE, start, endExclusive, days, rows, snapshotId, took);
  }

  /**
   * The events of {@code [start, endExclusive)} as a lazy DataFrame with {@link #SCHEMA}, without
   * writing anything. Its rows are identical however the result is partitioned.
   */
  public Dataset<Row> events(SparkSession spark, LocalDate start, LocalDate endExclusive, GeneratorOptions options) {
    int days = checkWindow(start, endExclusive);
    long perDay = options.eventsPerDay();
    long total = days * perDay;
    int partitions = options.partitions() > 0 ? options.partitions() : autoPartitions(spark, total);
    double[] mix = options.mode() == GeneratorMode.SHIFTED ? MIX_SHIFTED : MIX_NORMAL;
    double factor = options.mode() == GeneratorMode.SHIFTED ? SHIFT_FACTOR : 1.0;

    // Projections in steps: Spark does not inline a non-trivial expression that is used more than
    // once, so each hash below is computed once per row.
    Dataset<Row> rows = spark.range(0, total, 1, partitions).select(
        lit(options.seed()).as("seed"),
        expr("id DIV " + perDay + " + " + start.toEpochDay()).as("epoch_day"),
        expr("id % " + perDay).as("row_in_day"));
    rows = rows.select(col("seed"), col("epoch_day"), col("row_in_day"),
        expr("row_in_day DIV " + SLOT).as("slot"),
        // A slot's events are cut at a hashed position into two sessions of 1 to 8 events.
        expr("IF(row_in_day % " + SLOT + " < 1 + pmod(xxhash64(seed, epoch_day, row_in_day DIV " + SLOT + ", 1), "
            + SLOT + "), 0, 1)").as("part"));
    String session = "seed, epoch_day, slot, part";
    String event = "seed, epoch_day, row_in_day";
    rows = rows.select(col("seed"), col("epoch_day"), col("row_in_day"),
        uniform(session, 11).as("u_user"),
        uniform(session, 12).as("u_hour"),
        uniform(session, 13).as("u_minute"),
        uniform(session, 14).as("u_device"),
        uniform(event, 21).as("u_type"),
        uniform(event, 22).as("u_item"),
        uniform(event, 23).as("u_offset"),
        uniform(event, 24).as("u_quantity"),
        uniform(event, 25).as("u_null"));
    rows = rows.select(col("seed"), col("epoch_day"), col("row_in_day"), col("u_offset"), col("u_quantity"), col("u_null"),
        expr(popular("u_user", options.users())).as("user_id"),
        expr("(" + hourCase("u_hour") + ") * 3600 + u_minute * 3600").as("start_s"),
        expr(pick("u_device", DEVICES, DEVICE_WEIGHTS, null)).as("device"),
        expr(pick("u_type", EVENT_TYPES, mix, null)).as("event_type"),
        expr(popular("u_item", options.items())).as("item_id"));
    rows = rows.select(col("seed"), col("epoch_day"), col("row_in_day"), col("user_id"), col("item_id"),
        col("device"), col("event_type"), col("u_quantity"), col("u_null"),
        expr("epoch_day * 86400000 + least(CAST(floor((start_s + u_offset * least(" + dbl(SESSION_SECONDS)
            + ", 86400.0D - start_s)) * 1000) AS BIGINT), 86399999)").as("ts_millis"),
        // User and start time in milliseconds: two sessions of one user starting in the same
        // millisecond (rare even for the most active user) would share an id.
        expr("concat('s', user_id, '-', epoch_day * 86400000 + CAST(floor(start_s * 1000) AS BIGINT))").as("session_id"),
        // Country belongs to the user, not to the event.
        uniform("seed, user_id", 31).as("u_country"),
        expr("IF(event_type = 'purchase', " + listPrice() + ", NULL)").as("list_price"));
    String amount = "CASE WHEN event_type <> 'purchase' THEN NULL "
        + (options.mode() == GeneratorMode.NULL_AMOUNTS ? "WHEN u_null < " + dbl(NULL_AMOUNT_RATE) + " THEN NULL " : "")
        + "ELSE CAST(greatest(0.5D, list_price * (CASE WHEN u_quantity < 0.8D THEN 1 WHEN u_quantity < 0.95D THEN 2 ELSE 3 END) * "
        + dbl(factor) + ") AS DECIMAL(12,2)) END";
    return rows.select(
        expr("concat(CAST(date_from_unix_date(CAST(epoch_day AS INT)) AS STRING), '-', lpad(CAST(row_in_day AS STRING), 9, '0'))")
            .as("event_id"),
        expr("timestamp_millis(ts_millis)").as("event_ts"),
        col("user_id"),
        col("item_id"),
        col("session_id"),
        col("event_type"),
        expr(amount).as("amount"),
        expr(pick("u_country", COUNTRIES, COUNTRY_WEIGHTS, "NULL")).as("country"),
        col("device"));
  }

  /** Checks the window and returns its length in days. */
  public static int checkWindow(LocalDate start, LocalDate endExclusive) {
    if (start == null || endExclusive == null) {
      throw PlatformException.invalidArgument("start_date and end_date are required, got start_date=%s, end_date=%s",
          start, endExclusive);
    }
    if (!endExclusive.isAfter(start)) {
      throw PlatformException.invalidArgument("end_date must be after start_date, got start_date=%s, end_date=%s",
          start, endExclusive);
    }
    long days = ChronoUnit.DAYS.between(start, endExclusive);
    if (days > MAX_DAYS) {
      throw PlatformException.invalidArgument("the window from start_date=%s to end_date=%s spans %d days; at most %d are allowed",
          start, endExclusive, days, MAX_DAYS);
    }
    return (int) days;
  }

  /** A whole number of waves over the cores (3 equal tasks on 2 cores take as long as 4), each task at most about 2M rows. */
  private static int autoPartitions(SparkSession spark, long total) {
    long cores = Math.max(1, spark.sparkContext().defaultParallelism());
    long byVolume = (total + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION;
    long waves = Math.max(1, (byVolume + cores - 1) / cores);
    return (int) Math.min(GeneratorOptions.MAX_PARTITIONS, waves * cores);
  }

  /** A uniform double in [0, 1) from the 53 high bits of a hash of the given columns and a stream number. */
  private static Column uniform(String columns, int stream) {
    return expr("shiftrightunsigned(xxhash64(" + columns + ", " + stream + "), 11) * " + dbl(1.0 / (1L << 53)));
  }

  /** 1-based id with a popularity skew: low ids are the popular ones. */
  private static String popular(String uniform, long n) {
    return "1 + CAST(floor(" + n + " * pow(" + uniform + ", " + POPULARITY_EXPONENT + ")) AS BIGINT)";
  }

  /** log-normal list price of the row's item, from a Box-Muller normal seeded by the item. */
  private static String listPrice() {
    String u1 = "shiftrightunsigned(xxhash64(seed, item_id, 32), 11) * " + dbl(1.0 / (1L << 53));
    String u2 = "shiftrightunsigned(xxhash64(seed, item_id, 33), 11) * " + dbl(1.0 / (1L << 53));
    return "exp(" + dbl(Math.log(PRICE_MEDIAN)) + " + " + dbl(PRICE_SIGMA) + " * sqrt(-2.0D * ln(1.0D - " + u1 + "))"
        + " * cos(2.0D * pi() * " + u2 + "))";
  }

  /** CASE over cumulative weights; past the last weight the {@code otherwise} SQL (or the last value). */
  private static String pick(String uniform, String[] values, double[] weights, String otherwise) {
    StringBuilder sql = new StringBuilder("CASE");
    double cumulative = 0;
    int last = otherwise == null ? values.length - 1 : values.length;
    for (int i = 0; i < last; i++) {
      cumulative += weights[i];
      sql.append(" WHEN ").append(uniform).append(" < ").append(dbl(cumulative)).append(" THEN '").append(values[i]).append('\'');
    }
    sql.append(" ELSE ").append(otherwise == null ? "'" + values[values.length - 1] + "'" : otherwise).append(" END");
    return sql.toString();
  }

  private static String hourCase(String uniform) {
    double sum = 0;
    for (double w : HOURLY_TRAFFIC) {
      sum += w;
    }
    StringBuilder sql = new StringBuilder("CASE");
    double cumulative = 0;
    for (int hour = 0; hour < HOURLY_TRAFFIC.length - 1; hour++) {
      cumulative += HOURLY_TRAFFIC[hour] / sum;
      sql.append(" WHEN ").append(uniform).append(" < ").append(dbl(cumulative)).append(" THEN ").append(hour);
    }
    return sql.append(" ELSE ").append(HOURLY_TRAFFIC.length - 1).append(" END").toString();
  }

  private static String dbl(double value) {
    return Double.toString(value) + "D";
  }

  private static void ensureTable(SparkSession spark) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + NAMESPACE);
    List<String> columns = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      columns.add(f.name() + " " + f.dataType().sql());
    }
    spark.sql("CREATE TABLE IF NOT EXISTS " + TABLE + " (" + String.join(", ", columns) + ") USING iceberg "
        + "PARTITIONED BY (days(event_ts)) TBLPROPERTIES ('format-version' = '2')");
    Table table = load(spark);
    StructType actual = SparkSchemaUtil.convert(table.schema());
    if (!sameColumns(actual, SCHEMA)) {
      throw PlatformException.invalidState("%s exists with a different schema: %s; the generator writes %s",
          TABLE, actual.simpleString(), SCHEMA.simpleString());
    }
    // A dynamic overwrite of an unpartitioned table would replace every row, not just the window's days.
    List<PartitionField> fields = table.spec().fields();
    boolean byDay = fields.size() == 1 && fields.get(0).transform().toString().equals("day")
        && table.schema().findColumnName(fields.get(0).sourceId()).equals("event_ts");
    if (!byDay) {
      throw PlatformException.invalidState("%s must be partitioned by days(event_ts) only, got %s", TABLE,
          table.spec().toString().replaceAll("\\s+", " "));
    }
  }

  private static boolean sameColumns(StructType a, StructType b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      StructField x = a.fields()[i];
      StructField y = b.fields()[i];
      if (!x.name().toLowerCase(Locale.ROOT).equals(y.name()) || !x.dataType().equals(y.dataType())) {
        return false;
      }
    }
    return true;
  }

  /** The snapshot this run committed, found by its run id (another writer may have committed since). */
  private static long committedSnapshot(SparkSession spark, String runId) {
    Table table = load(spark);
    for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (runId.equals(s.summary().get(PROP_RUN_ID))) {
        return s.snapshotId();
      }
    }
    throw new PlatformException(ErrorCode.INTERNAL_ERROR,
        "The write to " + TABLE + " finished but no snapshot on main carries " + PROP_RUN_ID + "=" + runId);
  }

  private static Table load(SparkSession spark) {
    try {
      return Spark3Util.loadIcebergTable(spark, TABLE);
    } catch (Exception e) {
      throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Cannot load " + TABLE + ": " + e.getMessage(), e);
    }
  }
}
