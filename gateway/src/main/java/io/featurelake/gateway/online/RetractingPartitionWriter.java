package io.featurelake.gateway.online;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs in the executors: sends one partition of {@link OnlineRows#retractions} through the
 * retraction script ({@code online-retract.lua}), in pipelined batches, on its own connection.
 * Rows: entity columns, {@code _retract_ts}, {@code _retract_seq}, then the replacement's
 * {@code _event_ts}, {@code _snapshot_seq} and features (null event time: no replacement). Any
 * Redis failure fails the task and so the job; the driver then leaves the cursor where it was.
 */
final class RetractingPartitionWriter implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;

  private final RedisSettings settings;
  private final String view;
  private final int entityCount;
  private final String[] features;
  private final long ttlMillis;
  private final LongAccumulator sent;
  private final LongAccumulator replaced;
  private final LongAccumulator deleted;

  RetractingPartitionWriter(RedisSettings settings, String view, int entityCount, List<String> features, long ttlMillis,
      LongAccumulator sent, LongAccumulator replaced, LongAccumulator deleted) {
    this.settings = settings;
    this.view = view;
    this.entityCount = entityCount;
    this.features = features.toArray(String[]::new);
    this.ttlMillis = ttlMillis;
    this.sent = sent;
    this.replaced = replaced;
    this.deleted = deleted;
  }

  @Override
  public void call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return;
    }
    int flushAt = settings.batchSize() * settings.pipelineDepth();
    List<OnlineRetraction> buffer = new ArrayList<>(flushAt);
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      while (rows.hasNext()) {
        buffer.add(toRetraction(rows.next()));
        if (buffer.size() >= flushAt) {
          flush(store, buffer);
        }
      }
      flush(store, buffer);
    }
  }

  private void flush(OnlineStore store, List<OnlineRetraction> buffer) {
    if (buffer.isEmpty()) {
      return;
    }
    OnlineRetraction.Outcome outcome = store.retract(buffer, ttlMillis);
    // Counted only once Redis acknowledged the whole flush.
    sent.add(buffer.size());
    replaced.add(outcome.replaced());
    deleted.add(outcome.deleted());
    buffer.clear();
  }

  OnlineRetraction toRetraction(Row row) {
    List<Object> entity = new ArrayList<>(entityCount);
    for (int i = 0; i < entityCount; i++) {
      entity.add(row.get(i));
    }
    String key = OnlineKeys.key(settings.keyPrefix(), view, entity);
    long retractTs = row.getLong(entityCount);
    long retractSeq = row.getLong(entityCount + 1);
    int at = entityCount + 2;
    if (row.isNullAt(at)) {
      return new OnlineRetraction(key, retractTs, retractSeq, null);
    }
    List<String> fields = new ArrayList<>(features.length * 2);
    for (int f = 0; f < features.length; f++) {
      Object v = row.get(at + 2 + f);
      if (v != null) {
        fields.add(features[f]);
        fields.add(OnlineKeys.encode(v));
      }
    }
    return new OnlineRetraction(key, retractTs, retractSeq,
        new OnlineRecord(key, row.getLong(at), row.getLong(at + 1), fields));
  }
}
