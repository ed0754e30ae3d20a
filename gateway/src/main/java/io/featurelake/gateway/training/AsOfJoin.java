package io.featurelake.gateway.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The point-in-time join of a spine with one view's rows, as a sweep over time per entity.
 *
 * <p>Why a sweep: the plain join (entity equal, event time before the label, then rank)
 * materialises every (label, earlier row) pair, which grows with history length. Here spine
 * rows and feature rows are unioned, hash-partitioned by entity and sorted by time, and one pass
 * keeps the rows visible at the current moment in a sorted map: a row enters at
 * max(event time, published at), leaves when it stopped being on main, and each label takes the
 * greatest (event time, published at, file, position) in the map, if inside the TTL. One shuffle,
 * one sort, memory per entity bounded by its visible rows. A window function (last value over
 * the union) would be as cheap but cannot forget a row that a later publish removed; the sweep
 * handles removals exactly, which as-known-at needs.
 */
final class AsOfJoin {

  static final String SPINE = "__spine";
  static final String FEAT = "__feat";
  private static final String KEY = "__key";
  private static final String T = "__t";
  private static final String KIND = "__kind";
  /** At equal times: a row leaving is gone for a label at that time, a row entering is there. */
  private static final int LEAVE = 0;
  private static final int ENTER = 1;
  private static final int LABEL = 2;

  private AsOfJoin() {}

  /**
   * Adds the view's columns to the spine: {@code <view>__<feature>} and {@code <view>__event_time}
   * (NULL when no row qualifies), plus a hidden run column {@code labelRunColumn}.
   */
  static Dataset<Row> join(Dataset<Row> spine, String labelMicrosColumn, JoinedView view, Dataset<Row> history,
      String runColumn, int partitions) {
    StructType spineType = spine.schema();
    List<Column> keyFromSpine = new ArrayList<>();
    List<Column> keyFromRows = new ArrayList<>();
    Column spineKeyNull = lit(false);
    for (int i = 0; i < view.entityColumns().size(); i++) {
      org.apache.spark.sql.types.DataType type = history.schema().apply(view.entityColumns().get(i)).dataType();
      keyFromSpine.add(col(view.spineColumns().get(i)).cast(type).as("k" + i));
      keyFromRows.add(col(view.entityColumns().get(i)).as("k" + i));
      spineKeyNull = spineKeyNull.or(col(view.spineColumns().get(i)).isNull());
    }
    List<Column> featFields = new ArrayList<>();
    view.features().forEach(f -> featFields.add(col(f)));
    for (String c : List.of(FeatureHistory.ET, FeatureHistory.VF, FeatureHistory.FILE, FeatureHistory.POS, FeatureHistory.RUN)) {
      featFields.add(col(c));
    }
    Column feat = functions.struct(featFields.toArray(new Column[0]));
    Column spineStruct = functions.struct(java.util.Arrays.stream(spineType.fieldNames()).map(functions::col).toArray(Column[]::new));

    Dataset<Row> rows = history.where(keyFromRows.stream().map(Column::isNotNull).reduce(Column::and).orElseThrow()
        .and(col(FeatureHistory.ET).isNotNull()));
    Column enter = functions.greatest(col(FeatureHistory.ET), functions.coalesce(col(FeatureHistory.VF), col(FeatureHistory.ET)));
    // A row whose event time comes after it left main was never visible with its value.
    rows = rows.where(col(FeatureHistory.VU).isNull().or(enter.lt(col(FeatureHistory.VU))));
    Dataset<Row> entering = rows.select(functions.struct(keyFromRows.toArray(new Column[0])).as(KEY), enter.as(T),
        lit(ENTER).as(KIND), lit(null).cast(spineType).as(SPINE), feat.as(FEAT));
    Dataset<Row> leaving = rows.where(col(FeatureHistory.VU).isNotNull())
        .select(functions.struct(keyFromRows.toArray(new Column[0])).as(KEY), col(FeatureHistory.VU).as(T),
            lit(LEAVE).as(KIND), lit(null).cast(spineType).as(SPINE), feat.as(FEAT));
    Dataset<Row> labels = spine.where(functions.not(spineKeyNull))
        .select(functions.struct(keyFromSpine.toArray(new Column[0])).as(KEY), col(labelMicrosColumn).as(T),
            lit(LABEL).as(KIND), spineStruct.as(SPINE), lit(null).cast(entering.schema().apply(FEAT).dataType()).as(FEAT));
    Dataset<Row> events = labels.unionByName(entering).unionByName(leaving);

    StructType out = new StructType().add(SPINE, spineType).add(FEAT, entering.schema().apply(FEAT).dataType());
    Dataset<Row> swept = events.repartition(partitions, col(KEY)).sortWithinPartitions(KEY, T, KIND)
        .mapPartitions(new Sweep(view.ttlMicros(), view.features().size()), Encoders.row(out));
    Dataset<Row> unmatched = spine.where(spineKeyNull).select(spineStruct.as(SPINE), lit(null).cast(out.apply(FEAT).dataType()).as(FEAT));

    List<Column> select = new ArrayList<>();
    select.add(col(SPINE + ".*"));
    for (String f : view.features()) {
      select.add(col(FEAT + "." + f).as(view.outputColumn(f)));
    }
    select.add(functions.timestamp_micros(col(FEAT + "." + FeatureHistory.ET)).as(view.eventTimeOutput()));
    select.add(col(FEAT + "." + FeatureHistory.RUN).as(runColumn));
    return swept.unionByName(unmatched).select(select.toArray(new Column[0]));
  }

  /** The per-partition sweep; input sorted by (key, time, kind). */
  static final class Sweep implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Long ttlMicros;
    private final int features;

    Sweep(Long ttlMicros, int features) {
      this.ttlMicros = ttlMicros;
      this.features = features;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      return new Iterator<>() {
        private final TreeMap<Version, Row> visible = new TreeMap<>();
        private Row key;
        private Row next;

        @Override
        public boolean hasNext() {
          while (next == null && input.hasNext()) {
            Row event = input.next();
            Row eventKey = event.getStruct(0);
            if (!Objects.equals(eventKey, key)) {
              visible.clear();
              key = eventKey;
            }
            Row feat = event.isNullAt(4) ? null : event.getStruct(4);
            switch (event.getInt(2)) {
              case ENTER -> visible.put(Version.of(feat, features), feat);
              case LEAVE -> visible.remove(Version.of(feat, features));
              default -> next = RowFactory.create(event.getStruct(3), latest(event.getLong(1)));
            }
          }
          return next != null;
        }

        private Row latest(long label) {
          if (visible.isEmpty()) {
            return null;
          }
          Version best = visible.lastKey();
          // The newest visible event is the only candidate: anything else is older still.
          if (ttlMicros != null && best.eventTime < label - ttlMicros) {
            return null;
          }
          return visible.get(best);
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Row out = next;
          next = null;
          return out;
        }
      };
    }
  }

  /** Order of rows for one entity: latest event, then latest publish, then file and position (stable). */
  record Version(long eventTime, long visibleFrom, String file, long pos) implements Comparable<Version> {
    static Version of(Row feat, int features) {
      return new Version(feat.getLong(features), feat.isNullAt(features + 1) ? Long.MIN_VALUE : feat.getLong(features + 1),
          feat.getString(features + 2), feat.getLong(features + 3));
    }

    @Override
    public int compareTo(Version o) {
      int c = Long.compare(eventTime, o.eventTime);
      c = c != 0 ? c : Long.compare(visibleFrom, o.visibleFrom);
      c = c != 0 ? c : file.compareTo(o.file);
      return c != 0 ? c : Long.compare(pos, o.pos);
    }
  }
}
