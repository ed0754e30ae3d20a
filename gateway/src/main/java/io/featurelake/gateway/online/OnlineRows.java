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

import io.featurelake.gateway.backfill.FeatureTables;
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
   * The rows changed on main after {@code fromExclusive} up to {@code to}, from Iceberg's
   * changelog (which, unlike a snapshot-range read, includes overwrite commits). A copy-on-write
   * overwrite shows every row of a replaced partition as a DELETE and an INSERT: counting INSERT
   * as +1 and DELETE as -1 per distinct row, an unchanged (carried-over) row nets 0 and a row
   * inserted then replaced within the range nets 0 too; only rows that are new at {@code to} remain.
   */
  Dataset<Row> changedSince(Table table, long fromExclusive, long to, LongAccumulator rowsRead) {
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
    Dataset<Row> net = changes.groupBy(dataColumns.toArray(Column[]::new))
        .agg(sum(when(type.equalTo("INSERT"), 1).when(type.equalTo("DELETE"), -1).otherwise(0)).as("_net"),
            max(when(type.equalTo("INSERT"), seqOf)).as(SEQ))
        .where(col("_net").gt(0))
        .drop("_net");
    return latestPerEntity(net);
  }

  /**
   * Every entity's latest row on main at {@code snapshotId}; {@code _snapshot_seq} is the data
   * sequence number of the file the row is in, i.e. of the commit that wrote it.
   */
  Dataset<Row> latestAt(Table table, long snapshotId, LongAccumulator rowsRead) {
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
    if (rowsRead != null) {
      rows = rows.filter(counting(rowsRead));
    }
    Dataset<Row> withSeq = rows.join(broadcast(fileSeq), col("__file").equalTo(col("__path"))).drop("__file", "__path");
    return latestPerEntity(withSeq);
  }

  /** Latest row per entity by (event time, sequence number), laid out entity..., _event_ts, _snapshot_seq, features... */
  private Dataset<Row> latestPerEntity(Dataset<Row> rows) {
    String ts = quote(view.eventTimestamp());
    String type = rows.schema().apply(view.eventTimestamp()).dataType().typeName();
    // DATE -> midnight UTC; TIMESTAMP(_NTZ) -> its instant (the platform's session time zone is UTC).
    Column micros = type.equals("date") ? expr("CAST(unix_date(" + ts + ") AS BIGINT) * 86400000000")
        : expr("unix_micros(CAST(" + ts + " AS TIMESTAMP))");
    List<Column> ordered = new ArrayList<>();
    ordered.add(col(EVENT_TS));
    ordered.add(col(SEQ));
    features.forEach(f -> ordered.add(col(quote(f))));
    List<Column> entities = view.entities().stream().map(e -> col(quote(e))).toList();
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
