package io.featurelake.gateway.online;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The rows the online store should hold, as Spark datasets laid out for {@link GuardedPartitionWriter}:
 * entity columns, {@code _event_ts} (epoch micros), {@code _snapshot_seq}, then the features.
 * One row per entity: its latest by (event time, snapshot sequence number).
 */
final class OnlineRows {

  static final String EVENT_TS = OnlineKeys.EVENT_TS_FIELD;
  static final String SEQ = OnlineKeys.SNAPSHOT_SEQ_FIELD;
  static final String RETRACT_TS = "_retract_ts";
  static final String RETRACT_SEQ = "_retract_seq";
  private static final String NET = "_net";
  private static final String INS_SEQ = "_ins_seq";
  private static final String DEL_SEQ = "_del_seq";

  private final SparkSession spark;
  private final FeatureViewDefinition view;
  private final List<String> features;

  OnlineRows(SparkSession spark, FeatureViewDefinition view, Table table) {
    this.spark = spark;
    this.view = view;
    List<String> f = new ArrayList<>();
    for (var field : table.schema().columns()) {
      if (!view.entities().contains(field.name()) && !field.name().equals(view.eventTimestamp())) {
        f.add(field.name());
      }
    }
    this.features = List.copyOf(f);
  }

  List<String> features() {
    return features;
  }

  /**
   * The changes on main after {@code fromExclusive} up to {@code to}, from Iceberg's changelog
   * (which, unlike a snapshot-range read, includes overwrite commits), one row per distinct data
   * row: its columns, {@code _net} (INSERTs minus DELETEs), {@code _ins_seq} (highest sequence
   * number of the commits that inserted it) and {@code _del_seq} (likewise for the deleting
   * commits). A copy-on-write overwrite shows every row of a replaced partition as a DELETE and an
   * INSERT: an unchanged (carried-over) row nets 0 and a row inserted then replaced within the
   * range nets 0 too; rows new at {@code to} net above 0, rows removed by {@code to} below 0.
   * Both passes of an incremental sync read it: {@link #insertedLatest} and {@link #retractionCandidates}.
   */
  Dataset<Row> nettedChanges(Table table, long fromExclusive, long to, LongAccumulator rowsRead) {
    Dataset<Row> changes = spark.read().format("iceberg")
        .option("start-snapshot-id", String.valueOf(fromExclusive))
        .option("end-snapshot-id", String.valueOf(to))
        .load(FeatureTables.tableName(view.name()) + ".changes");
    changes = changes.filter(counting(rowsRead));
    List<Column> seqMap = new ArrayList<>();
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, to, fromExclusive)) {
      seqMap.add(lit(s.snapshotId()));
      seqMap.add(lit(s.sequenceNumber()));
    }
    Column seqOf = element_at(org.apache.spark.sql.functions.map(seqMap.toArray(Column[]::new)), col("_commit_snapshot_id"));
    Column type = col("_change_type");
    List<Column> dataColumns = dataColumns();
    return changes.groupBy(dataColumns.toArray(Column[]::new))
        .agg(sum(when(type.equalTo("INSERT"), 1).when(type.equalTo("DELETE"), -1).otherwise(0)).as(NET),
            max(when(type.equalTo("INSERT"), seqOf)).as(INS_SEQ),
            max(when(type.equalTo("DELETE"), seqOf)).as(DEL_SEQ));
  }

  /** Of {@link #nettedChanges}, the net-inserted rows (new at the end of the range), reduced to the latest per entity. */
  Dataset<Row> insertedLatest(Dataset<Row> netted) {
    List<Column> data = dataColumns();
    data.add(col(INS_SEQ).as(SEQ));
    return latestPerEntity(netted.where(col(NET).gt(0)).select(data.toArray(Column[]::new)));
  }

  /**
   * Of {@link #nettedChanges}, the entities whose removed rows may still be in the online store:
   * entity columns, {@code _retract_ts} (latest event time among the removed rows, epoch micros),
   * {@code _retract_seq} (highest sequence number of the commits that removed them). Small: one
   * row per entity that lost rows in the range and got no newer row.
   *
   * <p>An entity whose net-inserted latest {@code (event time, sequence)} is at least the
   * retraction pair is left out: the guarded write of that row already replaces anything a
   * removed row left in Redis (a removed row's pair is below the retraction pair), and that row
   * is main's latest (every surviving row is older than the removed one Redis held). So a
   * re-backfill that only changes values costs no retraction.
   */
  Dataset<Row> retractionCandidates(Dataset<Row> netted) {
    List<Column> entities = entityColumns();
    Column removed = col(NET).lt(0);
    Column inserted = col(NET).gt(0);
    Dataset<Row> perEntity = netted.withColumn(EVENT_TS, micros(netted))
        .groupBy(entities.toArray(Column[]::new))
        .agg(max(when(removed, col(EVENT_TS))).as(RETRACT_TS), max(when(removed, col(DEL_SEQ))).as(RETRACT_SEQ),
            max(when(inserted, struct(col(EVENT_TS), col(INS_SEQ)))).as("_ins"))
        .where(col(RETRACT_TS).isNotNull())
        .where(col("_ins").isNull().or(col("_ins." + EVENT_TS).lt(col(RETRACT_TS)))
            .or(col("_ins." + EVENT_TS).equalTo(col(RETRACT_TS)).and(col("_ins." + INS_SEQ).lt(col(RETRACT_SEQ)))))
        .drop("_ins");
    return perEntity;
  }

  /**
   * {@code candidates} (as {@link #retractionCandidates} lays them out) joined to main's latest
   * row of each at {@code head}, laid out for {@link RetractingPartitionWriter}: entity columns,
   * {@code _retract_ts}, {@code _retract_seq}, then {@code _event_ts}, {@code _snapshot_seq} and
   * the features, all null when the entity has no row left. Reads main at {@code head} (counted
   * in {@code rowsRead} when given).
   */
  Dataset<Row> withReplacements(Table table, Dataset<Row> candidates, long head, LongAccumulator rowsRead) {
    List<Column> entities = entityColumns();
    Dataset<Row> perEntity = candidates;
    Dataset<Row> latest = latestAt(table, head, rowsRead);
    List<Column> latestRenamed = new ArrayList<>();
    Column on = lit(true);
    for (String e : view.entities()) {
      latestRenamed.add(col(quote(e)).as("__l_" + e));
      on = on.and(col(quote(e)).eqNullSafe(col(quote("__l_" + e))));
    }
    latestRenamed.add(col(EVENT_TS));
    latestRenamed.add(col(SEQ));
    features.forEach(f -> latestRenamed.add(col(quote(f))));
    Dataset<Row> joined = perEntity.join(latest.select(latestRenamed.toArray(Column[]::new)), on, "left");
    List<Column> out = new ArrayList<>(entities);
    out.add(col(RETRACT_TS));
    out.add(col(RETRACT_SEQ));
    out.add(col(EVENT_TS));
    out.add(col(SEQ));
    features.forEach(f -> out.add(col(quote(f))));
    return joined.select(out.toArray(Column[]::new));
  }

  /**
   * Every entity's latest row on main at {@code snapshotId}; {@code _snapshot_seq} is the data
   * sequence number of the file the row is in, i.e. of the commit that wrote it.
   */
  Dataset<Row> latestAt(Table table, long snapshotId, LongAccumulator rowsRead) {
    return latestAt(table, snapshotId, rowsRead, null);
  }

  /**
   * Main's latest row at {@code head} of each entity of {@code entities} (entity columns and
   * {@code _event_ts}, as {@link #insertedLatest} lays them out), for entities whose value Redis
   * lost: their latest row on main may be newer than the row the range inserted (an old window
   * re-backfilled). Reads main only from the oldest of their event times on (partition pruning).
   */
  Dataset<Row> latestOnMainOf(Table table, long head, Dataset<Row> entities, long oldestEventMicros,
      LongAccumulator rowsRead) {
    String ts = quote(view.eventTimestamp());
    String type = table.schema().findField(view.eventTimestamp()).type().typeId().name();
    Column from = type.equals("DATE")
        ? col(ts).geq(lit(java.time.LocalDate.ofEpochDay(Math.floorDiv(oldestEventMicros, 86_400_000_000L))))
        : col(ts).geq(lit(java.time.Instant.EPOCH.plus(oldestEventMicros, java.time.temporal.ChronoUnit.MICROS)));
    return byEntity(latestAt(table, head, rowsRead, from), entities, "left_semi");
  }

  /** The rows of {@code rows} whose entity is not among {@code entities} (entity columns first in both). */
  Dataset<Row> withoutEntities(Dataset<Row> rows, Dataset<Row> entities) {
    return byEntity(rows, entities, "left_anti");
  }

  /** A semi or anti join of {@code rows} to {@code entities} on the entity columns, NULL equal to NULL. */
  private Dataset<Row> byEntity(Dataset<Row> rows, Dataset<Row> entities, String joinType) {
    List<Column> keys = new ArrayList<>();
    Column on = lit(true);
    for (String e : view.entities()) {
      keys.add(col(quote(e)).as("__k_" + e));
      on = on.and(col(quote(e)).eqNullSafe(col(quote("__k_" + e))));
    }
    return rows.join(entities.select(keys.toArray(Column[]::new)), on, joinType);
  }

  private Dataset<Row> latestAt(Table table, long snapshotId, LongAccumulator rowsRead, Column filterOrNull) {
    List<Row> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      for (FileScanTask task : tasks) {
        files.add(RowFactory.create(task.file().location(), task.file().dataSequenceNumber()));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    StructType fileSchema = new StructType(new StructField[] {
        DataTypes.createStructField("__path", DataTypes.StringType, false),
        DataTypes.createStructField(SEQ, DataTypes.LongType, false)});
    Dataset<Row> fileSeq = spark.createDataFrame(files, fileSchema);
    Dataset<Row> rows = spark.sql("SELECT *, _file AS __file FROM " + FeatureTables.tableName(view.name())
        + " VERSION AS OF " + snapshotId);
    if (filterOrNull != null) {
      rows = rows.where(filterOrNull);
    }
    if (rowsRead != null) {
      rows = rows.filter(counting(rowsRead));
    }
    Dataset<Row> withSeq = rows.join(broadcast(fileSeq), col("__file").equalTo(col("__path"))).drop("__file", "__path");
    return latestPerEntity(withSeq);
  }

  /** Latest row per entity by (event time, sequence number), laid out entity..., _event_ts, _snapshot_seq, features... */
  private Dataset<Row> latestPerEntity(Dataset<Row> rows) {
    Column micros = micros(rows);
    List<Column> ordered = new ArrayList<>();
    ordered.add(col(EVENT_TS));
    ordered.add(col(SEQ));
    features.forEach(f -> ordered.add(col(quote(f))));
    List<Column> entities = entityColumns();
    Dataset<Row> latest = rows.withColumn(EVENT_TS, micros)
        // max over a struct compares field by field: event time first, then sequence number.
        .groupBy(entities.toArray(Column[]::new))
        .agg(max(struct(ordered.toArray(Column[]::new))).as("_latest"));
    List<Column> out = new ArrayList<>(entities);
    out.add(col("_latest." + EVENT_TS).as(EVENT_TS));
    out.add(col("_latest." + SEQ).as(SEQ));
    features.forEach(f -> out.add(col("_latest." + quote(f)).as(f)));
    return latest.select(out.toArray(Column[]::new));
  }

  /** The event time as epoch microseconds, the encoding of {@code _event_ts}. */
  private Column micros(Dataset<Row> rows) {
    String ts = quote(view.eventTimestamp());
    String type = rows.schema().apply(view.eventTimestamp()).dataType().typeName();
    // DATE -> midnight UTC; TIMESTAMP(_NTZ) -> its instant (the platform's session time zone is UTC).
    return type.equals("date") ? expr("CAST(unix_date(" + ts + ") AS BIGINT) * 86400000000")
        : expr("unix_micros(CAST(" + ts + " AS TIMESTAMP))");
  }

  private List<Column> entityColumns() {
    return new ArrayList<>(view.entities().stream().map(e -> col(quote(e))).toList());
  }

  private List<Column> dataColumns() {
    List<Column> cols = new ArrayList<>();
    view.entities().forEach(e -> cols.add(col(quote(e))));
    cols.add(col(quote(view.eventTimestamp())));
    features.forEach(f -> cols.add(col(quote(f))));
    return cols;
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static FilterFunction<Row> counting(LongAccumulator counter) {
    return row -> {
      counter.add(1);
      return true;
    };
  }

}
