package io.featurelake.gateway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorMode;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.maintenance.MaintenanceRequest;
import io.featurelake.gateway.maintenance.MaintenanceService;
import io.featurelake.gateway.maintenance.SyncCursorSource;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.training.TrainingSetRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The leak case on the demo data: a week of both demo views is published; labels are taken
 * after that publish; then one day is re-backfilled from regenerated (shifted) raw events. The
 * as-known-at set keeps the values published before the labels, the event-time set takes the
 * corrections, and they differ on exactly the rows whose value came from that day. Then: a later
 * backfill and maintenance leave both sets rebuildable bit for bit; bad input writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingSetIT {

  private static final String USERS = "user_activity_daily";
  private static final String ITEMS = "item_popularity_daily";
  private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
  private final LocalDate start = today.minusDays(8);
  private final LocalDate end = today.minusDays(1);
  private final LocalDate corrected = today.minusDays(2);

  private SparkSession spark;
  private BackfillService backfills;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-training-it-");
    Path features = lenientDefinitions(home.resolve("features"));
    spark = LakeSessions.create(TestConfigs.load(home, TestPorts.free(), Map.of("FEATURELAKE_FEATURES_DIR", features.toString())));
    backfills = new BackfillService(spark, Platform.current());
    generate(start.minusDays(6), end, GeneratorMode.NORMAL);
    backfill(USERS, start, end);
    backfill(ITEMS, start, end);
    Thread.sleep(20);
    // Labels after the first publish: users and items seen in the window, at one moment now.
    spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.ml");
    spark.sql("CREATE TABLE lake.ml.labels USING iceberg AS SELECT user_id, item_id AS product_id, "
        + "current_timestamp() AS label_time, CAST(rand(7) < 0.3 AS INT) AS churned FROM (SELECT DISTINCT user_id, item_id "
        + "FROM lake.raw.events WHERE user_id % 3 = 0) LIMIT 400");
    spark.sql("INSERT INTO lake.ml.labels VALUES (999999, 999999, current_timestamp(), 0)"); // an entity with no rows
    Thread.sleep(20);
    // The correction: that day's raw events regenerated in another mode, re-backfilled and published after the labels.
    generate(corrected, corrected.plusDays(1), GeneratorMode.SHIFTED);
    backfill(USERS, corrected, corrected.plusDays(1));
    backfill(ITEMS, corrected, corrected.plusDays(1));
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path lenientDefinitions(Path dir) throws Exception {
    Path shipped = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    Files.createDirectories(dir);
    for (String view : List.of(USERS, ITEMS)) {
      Files.copy(shipped.resolve(view + ".sql"), dir.resolve(view + ".sql"));
      Files.writeString(dir.resolve(view + ".yaml"), Files.readString(shipped.resolve(view + ".yaml"))
          .replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100"));
    }
    return dir;
  }

  private void generate(LocalDate from, LocalDate to, GeneratorMode mode) {
    new EventGenerator().generate(spark, from, to,
        GeneratorOptions.builder().eventsPerDay(1500).users(200).items(60).seed(11).mode(mode).build());
  }

  private void backfill(String view, LocalDate from, LocalDate to) {
    BackfillRun run = backfills.start(BackfillRequest.of(view, from.toString(), to.toString(), true, "test", "tester"),
        ProgressListener.NONE).run();
    assertThat(run.state()).as("run %d: %s", run.runId(), run.message()).isEqualTo(RunState.PUBLISHED);
  }

  private Row call(String sql) {
    return spark.sql("CALL lake.platform." + sql).collectAsList().get(0);
  }

  @Test
  void asKnownAtKeepsWhatWasPublishedAtTheLabelAndEventTimeTakesTheCorrection() {
    call("build_training_set(name => 'leak_known', spine => 'lake.ml.labels', features => 'user_activity_daily.*, "
        + "item_popularity_daily.view_count', entity_mapping => 'item_id=product_id', label_time_column => 'label_time')");
    call("build_training_set(name => 'leak_event', spine => 'lake.ml.labels', features => 'user_activity_daily.*, "
        + "item_popularity_daily.view_count', entity_mapping => 'item_id=product_id', mode => 'event_time')");
    Dataset<Row> known = spark.table("lake.training.leak_known");
    Dataset<Row> event = spark.table("lake.training.leak_event");
    long spine = spark.table("lake.ml.labels").count();
    assertThat(known.count()).isEqualTo(spine);
    assertThat(event.count()).isEqualTo(spine);
    assertThat(known.where(col("user_id").equalTo(999999)).first().isNullAt(known.schema().fieldIndex("user_activity_daily__view_count")))
        .isTrue();

    // Every row whose two versions differ took a value of the corrected day in at least one of them ...
    String day = "DATE '" + corrected + "'";
    Dataset<Row> differing = known.exceptAll(event);
    long differingRows = differing.count();
    long offDay = differing.where("to_date(user_activity_daily__event_time) <> " + day
        + " AND to_date(item_popularity_daily__event_time) <> " + day).count();
    assertThat(offDay).isZero();
    assertThat(event.exceptAll(known).where("to_date(user_activity_daily__event_time) <> " + day
        + " AND to_date(item_popularity_daily__event_time) <> " + day).count()).isZero();
    // ... and the corrected day does change most of the rows that used it.
    long usedDay = known.where("to_date(user_activity_daily__event_time) = " + day).count();
    assertThat(usedDay).isPositive();
    assertThat(differingRows).isGreaterThan(usedDay / 2);

    // As known at: the values of the first publish; event time: the values on main now.
    String original = firstRunTag(USERS);
    assertThat(mismatches(known, "lake.features.user_activity_daily VERSION AS OF '" + original + "'")).isZero();
    assertThat(mismatches(event, "lake.features.user_activity_daily")).isZero();
    assertThat(mismatches(known, "lake.features.user_activity_daily")).isPositive();

    // A later backfill does not change either set, nor does maintenance that expires every unpinned snapshot.
    backfill(USERS, today.minusDays(4), today.minusDays(3));
    assertThat(call("rebuild_training_set(name => 'leak_known')").getString(1)).isEqualTo("IDENTICAL");
    assertThat(call("rebuild_training_set('leak_event')").getString(1)).isEqualTo("IDENTICAL");
    new MaintenanceService(spark, Platform.current(), SyncCursorSource.NONE)
        .run(MaintenanceRequest.of("all", 0, 1, MaintenanceRequest.DEFAULT_TARGET_FILE_SIZE, false, false, 24));
    Row again = call("rebuild_training_set(name => 'leak_known')");
    assertThat(again.getString(1)).as(again.getString(6)).isEqualTo("IDENTICAL");
    assertThat(again.getLong(2)).isEqualTo(spine);
    assertThat(call("rebuild_training_set(name => 'leak_event')").getString(1)).isEqualTo("IDENTICAL");

    // A pin removed by hand and expired: the set says it can no longer be rebuilt.
    org.apache.iceberg.Table users = new FeatureTables(spark).load(USERS);
    var pin = new TrainingSetRepository(Platform.current().catalogDatabase()).find("leak_known").orElseThrow()
        .views().get(0).snapshots().get(0);
    assertThat(users.currentSnapshot().snapshotId()).isNotEqualTo(pin.snapshotId());
    users.manageSnapshots().removeTag(pin.pinRef()).commit();
    new MaintenanceService(spark, Platform.current(), SyncCursorSource.NONE)
        .run(MaintenanceRequest.of(USERS, 0, 1, MaintenanceRequest.DEFAULT_TARGET_FILE_SIZE, false, false, 24));
    assertThatThrownBy(() -> call("rebuild_training_set(name => 'leak_known')")).hasMessage("Training set leak_known can "
        + "no longer be rebuilt: snapshot " + pin.snapshotId() + " of lake.features.user_activity_daily (pinned by tag "
        + pin.pinRef() + ") was expired");

    List<Row> listed = spark.sql("CALL lake.platform.list_training_sets()").collectAsList();
    assertThat(listed).extracting(r -> r.getString(0)).contains("leak_known", "leak_event");
    List<Row> described = spark.sql("CALL lake.platform.describe_training_set(name => 'leak_known')").collectAsList();
    assertThat(described).anyMatch(r -> r.getString(1).equals("mode") && r.getString(2).equals("as_known_at"));
    assertThat(described).anyMatch(r -> r.getString(1).startsWith("run ") && r.getString(0).equals("view " + USERS));
  }

  /** Rows of the training set whose user features differ from {@code source} for the same user and day. */
  private long mismatches(Dataset<Row> set, String source) {
    Dataset<Row> truth = spark.sql("SELECT user_id AS t_user, event_date AS t_day, event_count AS t_count, "
        + "purchase_amount_sum_7d AS t_sum FROM " + source);
    return set.where(col("user_activity_daily__event_time").isNotNull())
        .join(truth, col("user_id").equalTo(col("t_user"))
            .and(org.apache.spark.sql.functions.to_date(col("user_activity_daily__event_time")).equalTo(col("t_day"))), "left")
        .where(col("t_day").isNull().or(col("t_count").notEqual(col("user_activity_daily__event_count")))
            .or(col("t_sum").notEqual(col("user_activity_daily__purchase_amount_sum_7d"))))
        .count();
  }

  private String firstRunTag(String view) {
    return new FeatureTables(spark).load(view).refs().keySet().stream().filter(t -> t.startsWith("run_"))
        .min(java.util.Comparator.comparingLong(t -> Long.parseLong(t.substring(4)))).orElseThrow();
  }

  @Test
  void badInputIsAOneLineErrorAndWritesNothing() {
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.labels', features => 'nope_daily.*')",
        "Unknown feature view 'nope_daily' in features; defined: item_popularity_daily, user_activity_daily");
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.labels', features => 'user_activity_daily.nope')",
        "Unknown feature 'nope' of feature view user_activity_daily; its features: event_count, view_count, click_count, "
            + "add_to_cart_count, purchase_count, distinct_items, distinct_sessions, purchase_amount_sum, avg_purchase_amount, "
            + "purchase_amount_sum_7d, purchase_count_7d");
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.labels', features => 'item_popularity_daily.view_count')",
        "Spine lake.ml.labels has no column 'item_id' for entity item_id of feature view item_popularity_daily; its columns: "
            + "user_id, product_id, label_time, churned (map another with entity_mapping => 'item_id=<spine column>')");
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.labels', features => 'user_activity_daily.*', "
        + "label_time_column => 'ts')", "Spine lake.ml.labels has no label time column 'ts'; its columns: user_id, "
            + "product_id, label_time, churned");
    assertError("build_training_set(name => 'bad', spine => 'SELECT user_id, CAST(NULL AS TIMESTAMP) AS label_time FROM "
        + "lake.ml.labels', features => 'user_activity_daily.*')",
        "Spine query has 401 row(s) with a NULL label time in column 'label_time'; drop or fill them first");
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.labels', features => 'user_activity_daily.*', "
        + "mode => 'latest')", "mode must be as_known_at or event_time, got 'latest'");
    assertError("build_training_set(name => 'bad', spine => 'lake.ml.nope', features => 'user_activity_daily.*')",
        "Spine table lake.ml.nope does not exist");
    assertThat(spark.catalog().tableExists("lake.training.bad")).isFalse();
    assertThat(new TrainingSetRepository(Platform.current().catalogDatabase()).exists("bad")).isFalse();

    // event_time: the other test's maintenance may have expired main's history before the labels.
    call("build_training_set(name => 'taken', spine => 'lake.ml.labels', features => 'user_activity_daily.view_count', "
        + "mode => 'event_time')");
    assertError("build_training_set(name => 'taken', spine => 'lake.ml.labels', features => 'user_activity_daily.*')",
        "Training set 'taken' already exists (lake.training.taken); choose another name");
    assertThat(spark.table("lake.training.taken").columns()).containsExactly("user_id", "product_id", "label_time",
        "churned", "user_activity_daily__view_count", "user_activity_daily__event_time");
    assertError("rebuild_training_set(name => 'never')",
        "Unknown training set 'never'; list them with CALL lake.platform.list_training_sets()");
  }

  private void assertError(String call, String message) {
    assertThatThrownBy(() -> spark.sql("CALL lake.platform." + call).collectAsList()).hasMessage(message);
  }
}
