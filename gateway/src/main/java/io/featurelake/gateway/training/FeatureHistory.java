package io.featurelake.gateway.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of a feature table together with when each was on main: every data file of the
 * pinned snapshots gets the intervals in which a snapshot containing it was main's current one.
 * A row is visible to a label at time L when L falls in one of its file's intervals. Working on
 * files, not rows, keeps this exact under compaction (the rewritten files take over the moment
 * the compaction became current) and costs one planning pass per pinned snapshot.
 */
final class FeatureHistory {

  static final String ET = "__et";
  static final String VF = "__vf";
  static final String VU = "__vu";
  static final String FILE = "__file";
  static final String POS = "__pos";
  static final String RUN = "__run";

  private FeatureHistory() {}

  /**
   * The snapshots of main current at some moment of [minLabelMicros, maxLabelMicros], from the
   * snapshot log (Iceberg writes a fast-forward's log entry at publish time, so this is when a
   * run's rows became visible), each with its interval. Refuses when the log was cut by snapshot
   * expiry before the earliest label: what main held then is no longer known.
   */
  static List<PinnedSnapshot> asKnownAtPins(Table table, String tableName, long minLabelMicros, long maxLabelMicros) {
    List<HistoryEntry> log = table.history();
    List<PinnedSnapshot> pins = new ArrayList<>();
    if (log.isEmpty()) {
      return pins;
    }
    HistoryEntry first = log.get(0);
    Snapshot firstSnapshot = table.snapshot(first.snapshotId());
    if (first.timestampMillis() * 1000 > minLabelMicros && firstSnapshot != null && firstSnapshot.parentId() != null) {
      throw PlatformException.invalidState("Cannot join %s as known at the labels: the history of its main starts at %s "
          + "(older snapshots were expired), after the earliest label %s; use mode => 'event_time' or later labels",
          tableName, Instant.ofEpochMilli(first.timestampMillis()), micros(minLabelMicros));
    }
    for (int i = 0; i < log.size(); i++) {
      long from = log.get(i).timestampMillis();
      Long until = i + 1 < log.size() ? log.get(i + 1).timestampMillis() : null;
      if (from * 1000 <= maxLabelMicros && (until == null || until * 1000 > minLabelMicros)) {
        pins.add(new PinnedSnapshot(log.get(i).snapshotId(), from, until, null));
      }
    }
    return pins;
  }

  /** The event-time mode reads main's current snapshot, visible at every label time. */
  static List<PinnedSnapshot> currentPin(Table table) {
    Snapshot current = table.currentSnapshot();
    return current == null ? List.of() : List.of(new PinnedSnapshot(current.snapshotId(), null, null, null));
  }

  /**
   * Rows of the pinned snapshots whose event time lies in [lowMicros, highMicros] (partition
   * pruned), with columns: the entity columns, {@value #ET} (event time, epoch micros), the
   * features, {@value #VF}/{@value #VU} (visible from/until, epoch micros, null = unbounded),
   * {@value #FILE}, {@value #POS} (a stable tie-break) and {@value #RUN} (the run that wrote it).
   */
  static Dataset<Row> read(SparkSession spark, Table table, String tableName, JoinedView view,
      List<PinnedSnapshot> pins, long lowMicros, long highMicros) {
    Type eventType = table.schema().findType(view.eventTimeColumn());
    boolean date = eventType != null && eventType.typeId() == Type.TypeID.DATE;
    Expression range = date
        ? Expressions.and(Expressions.greaterThanOrEqual(view.eventTimeColumn(), epochDay(lowMicros)),
            Expressions.lessThanOrEqual(view.eventTimeColumn(), epochDay(highMicros)))
        : Expressions.and(Expressions.greaterThanOrEqual(view.eventTimeColumn(), lowMicros),
            Expressions.lessThanOrEqual(view.eventTimeColumn(), highMicros));

    Map<String, FileVisibility> files = new LinkedHashMap<>();
    for (int i = 0; i < pins.size(); i++) {
      PinnedSnapshot pin = pins.get(i);
      Snapshot snapshot = table.snapshot(pin.snapshotId());
      if (snapshot == null) {
        throw PlatformException.invalidState("Snapshot %d of %s no longer exists (expired)", pin.snapshotId(), tableName);
      }
      try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(pin.snapshotId()).filter(range).planFiles()) {
        for (FileScanTask task : tasks) {
          DataFile file = task.file();
          int index = i;
          files.computeIfAbsent(file.location(), p -> new FileVisibility(file, index, runOf(snapshot))).see(index, pin);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), outputSchema(spark, tableName, view, pins));
    }

    // One read per pinned snapshot that introduced files, limited to those files' days.
    Map<Integer, List<FileVisibility>> byFirstPin = new LinkedHashMap<>();
    files.values().forEach(f -> byFirstPin.computeIfAbsent(f.firstPin, k -> new ArrayList<>()).add(f));
    Dataset<Row> rows = null;
    for (Map.Entry<Integer, List<FileVisibility>> group : byFirstPin.entrySet()) {
      Dataset<Row> part = scan(spark, tableName, view, pins.get(group.getKey()).snapshotId())
          .where(dayFilter(view.eventTimeColumn(), date, group.getValue(), lowMicros, highMicros))
          .where(col("_file").isin(group.getValue().stream().map(f -> (Object) f.path).toArray()));
      rows = rows == null ? part : rows.unionByName(part);
    }
    List<Row> intervals = new ArrayList<>();
    for (FileVisibility f : files.values()) {
      for (long[] interval : f.intervals) {
        intervals.add(RowFactory.create(f.path, interval[0] == Long.MIN_VALUE ? null : interval[0] * 1000,
            interval[1] == Long.MAX_VALUE ? null : interval[1] * 1000, f.runId));
      }
    }
    StructType intervalSchema = new StructType().add("_file", DataTypes.StringType).add(VF, DataTypes.LongType)
        .add(VU, DataTypes.LongType).add(RUN, DataTypes.LongType);
    Dataset<Row> visibility = spark.createDataFrame(intervals, intervalSchema);
    return shape(rows.join(functions.broadcast(visibility), "_file"), view);
  }

  private static Dataset<Row> scan(SparkSession spark, String tableName, JoinedView view, long snapshotId) {
    // Metadata columns must be selected before any other operator, or they are not resolvable later.
    return spark.read().format("iceberg").option("snapshot-id", String.valueOf(snapshotId)).load(tableName)
        .select(col("*"), col("_file"), col("_pos"));
  }

  private static Dataset<Row> shape(Dataset<Row> rows, JoinedView view) {
    List<Column> out = new ArrayList<>();
    view.entityColumns().forEach(e -> out.add(col(e)));
    out.add(functions.unix_micros(col(view.eventTimeColumn()).cast(DataTypes.TimestampType)).as(ET));
    view.features().forEach(f -> out.add(col(f)));
    out.add(col(VF));
    out.add(col(VU));
    out.add(col("_file").as(FILE));
    out.add(col("_pos").as(POS));
    out.add(col(RUN));
    return rows.select(out.toArray(new Column[0]));
  }

  private static StructType outputSchema(SparkSession spark, String tableName, JoinedView view, List<PinnedSnapshot> pins) {
    Dataset<Row> empty = pins.isEmpty() ? spark.read().table(tableName).select(col("*"), col("_file"), col("_pos"))
        : scan(spark, tableName, view, pins.get(0).snapshotId());
    Dataset<Row> withColumns = empty.limit(0).withColumn(VF, lit(null).cast(DataTypes.LongType))
        .withColumn(VU, lit(null).cast(DataTypes.LongType)).withColumn(RUN, lit(null).cast(DataTypes.LongType));
    return shape(withColumns, view).schema();
  }

  /** The days of the files (day partitions) as ranges of the event column; else the whole range. */
  private static Column dayFilter(String column, boolean date, List<FileVisibility> files, long low, long high) {
    TreeSet<Integer> days = new TreeSet<>();
    for (FileVisibility f : files) {
      Integer day = f.day();
      if (day == null) {
        return date ? col(column).between(lit(localDate(low)), lit(localDate(high)))
            : col(column).between(timestamp(low), timestamp(high));
      }
      days.add(day);
    }
    Column any = null;
    Integer start = null;
    Integer previous = null;
    for (Integer day : days) {
      if (start != null && day != previous + 1) {
        any = or(any, dayRange(column, date, start, previous));
        start = null;
      }
      start = start == null ? day : start;
      previous = day;
    }
    return or(any, dayRange(column, date, start, previous));
  }

  private static Column dayRange(String column, boolean date, int firstDay, int lastDay) {
    if (date) {
      return col(column).between(lit(LocalDate.ofEpochDay(firstDay)), lit(LocalDate.ofEpochDay(lastDay)));
    }
    return col(column).geq(timestamp(firstDay * 86_400_000_000L)).and(col(column).lt(timestamp((lastDay + 1) * 86_400_000_000L)));
  }

  private static Column or(Column a, Column b) {
    return a == null ? b : a.or(b);
  }

  private static Column timestamp(long micros) {
    return functions.timestamp_micros(lit(micros));
  }

  private static LocalDate localDate(long micros) {
    return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L));
  }

  private static int epochDay(long micros) {
    return (int) Math.floorDiv(micros, 86_400_000_000L);
  }

  static String micros(long micros) {
    return Instant.EPOCH.plusNanos(micros * 1000).atOffset(ZoneOffset.UTC).toString();
  }

  private static Long runOf(Snapshot snapshot) {
    String run = snapshot.summary().get(Lineage.RUN_ID);
    try {
      return run == null ? null : Long.parseLong(run);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** One data file: the pin that first showed it, its run, and its merged visibility intervals in ms. */
  private static final class FileVisibility {
    final String path;
    final DataFile file;
    final int firstPin;
    final Long runId;
    final List<long[]> intervals = new ArrayList<>();
    int lastPin = -2;

    FileVisibility(DataFile file, int firstPin, Long runId) {
      this.path = file.location();
      this.file = file;
      this.firstPin = firstPin;
      this.runId = runId;
    }

    void see(int pinIndex, PinnedSnapshot pin) {
      long from = pin.visibleFromMs() == null ? Long.MIN_VALUE : pin.visibleFromMs();
      long until = pin.visibleUntilMs() == null ? Long.MAX_VALUE : pin.visibleUntilMs();
      long[] last = intervals.isEmpty() ? null : intervals.get(intervals.size() - 1);
      if (last != null && lastPin == pinIndex - 1 && last[1] == from) {
        last[1] = until;
      } else {
        intervals.add(new long[] {from, until});
      }
      lastPin = pinIndex;
    }

    /** The day partition value, when the table is partitioned by day of the event time. */
    Integer day() {
      if (file.partition() == null || file.partition().size() != 1) {
        return null;
      }
      Object value = file.partition().get(0, Object.class);
      return value instanceof Integer day ? day : null;
    }
  }
}
