package io.featurelake.gateway.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Random feature histories on real Iceberg tables, published like backfills (branch write, then a
 * fast-forward of main at a later moment, tagged run_N): several runs re-backfill the same days
 * with other values, drop entities, write NULL features; a compaction rewrites the files in
 * between. Random spines probe publish times, event times and TTL edges exactly. Both modes are
 * compared row by row with a plain Java model of "what main held at the label time".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingSetOracleIT {

  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;
  private static final long CLICKS_TTL = 30 * HOUR;
  private static final long ITEMS_TTL = 2 * DAY;

  private SparkSession spark;
  private final Random random = new Random(20231);
  /** Per view, every publish: the time main moved to it (µs) and the rows of main after it. */
  private final Map<String, List<Published>> history = new HashMap<>();
  private int runs;

  record FeatureRow(long entity, long eventMicros, Double f1, Long f2) {}

  record Published(long atMicros, Map<Long, List<FeatureRow>> byDay) {}

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-training-oracle-");
    Path features = home.resolve("features");
    Files.createDirectories(features);
    writeView(features, "clicks_hourly", "user_id", "event_ts", "30h");
    writeView(features, "item_daily", "item_id", "event_date", "2d");
    spark = LakeSessions.create(TestConfigs.load(home, TestPorts.free(),
        Map.of("FEATURELAKE_FEATURES_DIR", features.toString())));
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static void writeView(Path dir, String name, String entity, String eventColumn, String ttl) throws Exception {
    Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\ndescription: oracle test view\nowner: test@example.com\n"
        + "entities: [" + entity + "]\nevent_timestamp: " + eventColumn + "\nsources: [lake.raw.events]\nonline:\n  ttl: " + ttl + "\n");
    Files.writeString(dir.resolve(name + ".sql"), "SELECT 1 AS " + entity + ", event_ts AS " + eventColumn + " FROM lake.raw.events "
        + "WHERE event_ts >= TIMESTAMP '${start_date} 00:00:00' AND event_ts < TIMESTAMP '${end_date} 00:00:00'");
  }

  @Test
  void bothModesMatchAPlainJavaModelRowByRow() throws Exception {
    long base = Math.floorDiv(System.currentTimeMillis() * 1000, DAY) * DAY - DAY; // yesterday 00:00 UTC
    createTable("clicks_hourly", "user_id", "event_ts", DataTypes.TimestampType);
    createTable("item_daily", "item_id", "event_date", DataTypes.DateType);
    long beforeAnyPublish = System.currentTimeMillis() * 1000 - 1;
    Thread.sleep(5);

    // Several runs re-backfilling the same days at different publish times; a compaction in between.
    publish("clicks_hourly", base, List.of(0L, 1L, 2L), 0.0);
    publish("item_daily", base, List.of(-2L, -1L, 0L, 1L), 0.0);
    publish("clicks_hourly", base, List.of(1L), 0.3);
    compact("clicks_hourly");
    publish("item_daily", base, List.of(0L), 0.4);
    publish("clicks_hourly", base, List.of(0L, 2L), 0.5);
    publish("clicks_hourly", base, List.of(1L), 0.2);
    publish("item_daily", base, List.of(-1L, 1L), 0.3);
    long afterLastPublish = System.currentTimeMillis() * 1000 + 1000;

    List<Row> spine = spine(base, beforeAnyPublish, afterLastPublish);
    StructType spineType = new StructType().add("row_id", DataTypes.LongType).add("user_id", DataTypes.LongType)
        .add("product_id", DataTypes.LongType).add("label_time", DataTypes.TimestampType).add("label", DataTypes.IntegerType);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.ml");
    spark.createDataFrame(spine, spineType).writeTo("lake.ml.oracle_labels").using("iceberg").create();

    for (TrainingMode mode : TrainingMode.values()) {
      String name = "oracle_" + mode.sqlName();
      spark.sql("CALL lake.platform.build_training_set(name => '" + name + "', spine => 'lake.ml.oracle_labels', "
          + "features => 'clicks_hourly.*, item_daily.f1', entity_mapping => 'item_id=product_id', mode => '"
          + mode.sqlName() + "')").collectAsList();
      Map<Long, Row> built = new HashMap<>();
      for (Row r : spark.table("lake.training." + name).collectAsList()) {
        built.put(r.getLong(r.fieldIndex("row_id")), r);
      }
      assertThat(built).hasSize(spine.size());
      int matchedClicks = 0;
      for (Row s : spine) {
        Row out = built.get(s.getLong(0));
        long label = micros((Timestamp) s.get(3));
        FeatureRow clicks = s.isNullAt(1) ? null : expected("clicks_hourly", s.getLong(1), label, CLICKS_TTL, mode);
        FeatureRow item = s.isNullAt(2) ? null : expected("item_daily", s.getLong(2), label, ITEMS_TTL, mode);
        String where = mode + " row " + s;
        assertThat(out.get(out.fieldIndex("clicks_hourly__f1"))).as(where).isEqualTo(clicks == null ? null : clicks.f1());
        assertThat(out.get(out.fieldIndex("clicks_hourly__f2"))).as(where).isEqualTo(clicks == null ? null : clicks.f2());
        assertThat(out.isNullAt(out.fieldIndex("clicks_hourly__event_time"))).as(where).isEqualTo(clicks == null);
        if (clicks != null) {
          matchedClicks++;
          assertThat(micros(out.getTimestamp(out.fieldIndex("clicks_hourly__event_time")))).as(where)
              .isEqualTo(clicks.eventMicros());
        }
        assertThat(out.get(out.fieldIndex("item_daily__f1"))).as(where).isEqualTo(item == null ? null : item.f1());
        assertThat(out.isNullAt(out.fieldIndex("item_daily__event_time"))).as(where).isEqualTo(item == null);
        assertThat(out.getInt(out.fieldIndex("label"))).isEqualTo(s.getInt(4));
      }
      assertThat(matchedClicks).as("the spine must exercise matches, not only NULLs").isGreaterThan(spine.size() / 10);
      assertThat(spark.sql("CALL lake.platform.rebuild_training_set(name => '" + name + "')").first().getString(1))
          .isEqualTo("IDENTICAL");
    }
    // The two modes must differ somewhere, or the histories did not test corrections.
    long differing = spark.table("lake.training.oracle_as_known_at").exceptAll(spark.table("lake.training.oracle_event_time")).count();
    assertThat(differing).isPositive();
  }

  /** The plain model: main at the label time (or now), rows of the entity with event time in [label - ttl, label], latest. */
  private FeatureRow expected(String view, long entity, long label, long ttl, TrainingMode mode) {
    Published state = null;
    for (Published p : history.get(view)) {
      if (mode == TrainingMode.EVENT_TIME || p.atMicros() <= label) {
        state = p;
      }
    }
    if (state == null) {
      return null;
    }
    FeatureRow best = null;
    for (List<FeatureRow> day : state.byDay().values()) {
      for (FeatureRow r : day) {
        if (r.entity() == entity && r.eventMicros() <= label && r.eventMicros() >= label - ttl
            && (best == null || r.eventMicros() > best.eventMicros())) {
          best = r;
        }
      }
    }
    return best;
  }

  private void createTable(String view, String entity, String eventColumn, org.apache.spark.sql.types.DataType eventType) {
    FeatureViewCatalog catalog = new FeatureViewCatalog(Platform.current().config().featuresDir(), Platform.current().catalogDatabase());
    StructType schema = new StructType().add(entity, DataTypes.LongType).add(eventColumn, eventType)
        .add("f1", DataTypes.DoubleType).add("f2", DataTypes.LongType);
    FeatureTables tables = new FeatureTables(spark);
    tables.ensureTable(catalog.load(view), schema);
    tables.load(view).newAppend().commit();
    history.put(view, new ArrayList<>());
  }

  /**
   * One run: new values for the given days (offsets from base), some entities missing, some
   * NULL features, written to a branch and published a little later (so the publish time is
   * after the write time, as in WAP).
   */
  private void publish(String view, long base, List<Long> days, double nullRate) throws Exception {
    boolean daily = view.equals("item_daily");
    int run = ++runs;
    List<Published> published = history.get(view);
    Map<Long, List<FeatureRow>> state = published.isEmpty() ? new TreeMap<>()
        : new TreeMap<>(published.get(published.size() - 1).byDay());
    List<Row> rows = new ArrayList<>();
    for (long day : days) {
      List<FeatureRow> dayRows = new ArrayList<>();
      for (long entity = 1; entity <= 5; entity++) {
        if (random.nextDouble() < 0.2) {
          continue; // this run has no row for the entity that day (a removal when it had one before)
        }
        List<Long> hours = daily ? List.of(0L) : randomHours();
        for (long hour : hours) {
          long et = base + day * DAY + hour * HOUR;
          Double f1 = random.nextDouble() < nullRate ? null : (double) random.nextInt(1000) / 10;
          Long f2 = random.nextDouble() < nullRate ? null : (long) random.nextInt(5);
          dayRows.add(new FeatureRow(entity, et, f1, f2));
          rows.add(RowFactory.create(entity, daily ? (Object) LocalDate.ofEpochDay(Math.floorDiv(et, DAY))
              : new Timestamp(et / 1000), f1, f2));
        }
      }
      state.put(day, dayRows);
    }
    Table table = new FeatureTables(spark).load(view);
    String branch = "audit_" + run;
    table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
    Dataset<Row> df = spark.createDataFrame(rows, spark.table(FeatureTables.tableName(view)).schema());
    df.writeTo(FeatureTables.tableName(view) + ".branch_" + branch)
        .option("snapshot-property.featurelake.run-id", String.valueOf(run)).overwritePartitions();
    Thread.sleep(20);
    table.refresh();
    long head = table.refs().get(branch).snapshotId();
    table.manageSnapshots().fastForwardBranch("main", branch).createTag("run_" + run, head).removeBranch(branch).commit();
    table.refresh();
    var entry = table.history().get(table.history().size() - 1);
    assertThat(entry.snapshotId()).isEqualTo(head);
    // Iceberg logs a fast-forward at publish time, not at the snapshot's write time.
    assertThat(entry.timestampMillis()).isGreaterThan(table.snapshot(head).timestampMillis());
    published.add(new Published(entry.timestampMillis() * 1000, state));
    Thread.sleep(15);
  }

  private List<Long> randomHours() {
    List<Long> hours = new ArrayList<>();
    for (long h = 0; h < 24; h++) {
      if (random.nextDouble() < 0.35) {
        hours.add(h);
      }
    }
    return hours;
  }

  private void compact(String view) throws Exception {
    spark.sql("CALL lake.system.rewrite_data_files(table => 'features." + view + "', options => map('rewrite-all', 'true'))")
        .collectAsList();
    Table table = new FeatureTables(spark).load(view);
    List<Published> published = history.get(view);
    var entry = table.history().get(table.history().size() - 1);
    published.add(new Published(entry.timestampMillis() * 1000, published.get(published.size() - 1).byDay()));
    Thread.sleep(15);
  }

  /** Labels at publish times (and 1 µs before), at event times, at TTL edges, before any publish, for unknown entities. */
  private List<Row> spine(long base, long beforeAnyPublish, long afterLastPublish) {
    List<Long> times = new ArrayList<>(List.of(beforeAnyPublish, afterLastPublish, base - DAY));
    for (List<Published> ps : history.values()) {
      for (Published p : ps) {
        times.add(p.atMicros());
        times.add(p.atMicros() - 1);
        for (List<FeatureRow> day : p.byDay().values()) {
          for (FeatureRow r : day) {
            if (random.nextDouble() < 0.05) {
              times.add(r.eventMicros());
              times.add(r.eventMicros() + CLICKS_TTL);
              times.add(r.eventMicros() + CLICKS_TTL + 1);
              times.add(r.eventMicros() + ITEMS_TTL);
            }
          }
        }
      }
    }
    for (int i = 0; i < 150; i++) {
      times.add(base + (long) (random.nextDouble() * 4 * DAY));
      times.add(beforeAnyPublish + (long) (random.nextDouble() * (afterLastPublish - beforeAnyPublish)));
    }
    List<Row> rows = new ArrayList<>();
    long id = 0;
    for (long t : times) {
      for (int k = 0; k < 2; k++) {
        Long user = random.nextInt(12) == 0 ? null : (long) (random.nextInt(7) + 1); // 6 and 7 never have rows
        Long item = random.nextInt(12) == 0 ? null : (long) (random.nextInt(6) + 1);
        rows.add(RowFactory.create(id++, user, item, timestamp(t), random.nextInt(2)));
      }
    }
    rows.sort(Comparator.comparing(r -> r.getLong(0)));
    return rows;
  }

  private static Timestamp timestamp(long micros) {
    Timestamp ts = new Timestamp(Math.floorDiv(micros, 1000));
    ts.setNanos((int) (Math.floorMod(micros, 1_000_000L) * 1000));
    return ts;
  }

  private static long micros(Timestamp ts) {
    return Math.floorDiv(ts.getTime(), 1000) * 1_000_000L + ts.getNanos() / 1000;
  }
}
