package io.featurelake.gateway.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The per-partition sweep on hand-made events: (key, time, kind, spine, feat) sorted as Spark sorts them. */
class AsOfSweepTest {

  private static final int LEAVE = 0;
  private static final int ENTER = 1;
  private static final int LABEL = 2;

  /** feat = (value, event time, visible from, file, pos, run). */
  private static Row feat(double value, long eventTime, Long visibleFrom, long pos) {
    return RowFactory.create(value, eventTime, visibleFrom, "f1", pos, 1L);
  }

  private static Row event(long key, long time, int kind, String label, Row feat) {
    return RowFactory.create(RowFactory.create(key), time, kind, label == null ? null : RowFactory.create(label), feat);
  }

  private static List<String> sweep(Long ttl, Row... events) {
    List<String> out = new ArrayList<>();
    Iterator<Row> it = new AsOfJoin.Sweep(ttl, 1).call(List.of(events).iterator());
    it.forEachRemaining(r -> out.add(r.getStruct(0).getString(0) + "=" + (r.isNullAt(1) ? "null" : r.getStruct(1).get(0))));
    return out;
  }

  @Test
  void aLabelTakesTheLatestVisibleRowAndForgetsARemovedOne() {
    Row old = feat(1.0, 10, 5L, 0);
    Row removed = feat(2.0, 20, 5L, 1);
    assertThat(sweep(null,
        event(7, 5, ENTER, null, feat(9.0, 4, 5L, 2)),   // entered at max(event 4, published 5)
        event(7, 10, ENTER, null, old),
        event(7, 15, LABEL, "a", null),
        event(7, 20, ENTER, null, removed),
        event(7, 20, LABEL, "b", null),                  // a label at an event time sees that row
        event(7, 30, LEAVE, null, removed),              // replaced by a publish without it at 30
        event(7, 30, LABEL, "c", null)))                 // a label at the publish time sees the new main
        .containsExactly("a=1.0", "b=2.0", "c=1.0");
  }

  @Test
  void ttlCountsBackFromTheLabelInclusiveAndAnotherEntityStartsEmpty() {
    Row r = feat(3.0, 100, null, 0);
    assertThat(sweep(50L,
        event(1, 100, ENTER, null, r),
        event(1, 150, LABEL, "edge", null),
        event(1, 151, LABEL, "late", null),
        event(2, 200, LABEL, "other", null)))
        .containsExactly("edge=3.0", "late=null", "other=null");
  }

  @Test
  void equalEventTimesPreferTheLaterPublish() {
    assertThat(sweep(null,
        event(1, 10, ENTER, null, feat(1.0, 10, 8L, 0)),
        event(1, 12, ENTER, null, feat(2.0, 10, 12L, 0)),
        event(1, 13, LABEL, "x", null)))
        .containsExactly("x=2.0");
  }
}
