package io.featurelake.gateway.online;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs in the executors: writes one partition of latest-per-entity rows through the guard, in
 * pipelined batches, on its own connection. Any Redis failure fails the task and so the job;
 * the driver then leaves the cursor where it was.
 */
final class GuardedPartitionWriter implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;

  private final RedisSettings settings;
  private final String view;
  private final int entityCount;
  private final String[] features;
  private final long ttlMillis;
  private final LongAccumulator sent;
  private final LongAccumulator applied;

  GuardedPartitionWriter(RedisSettings settings, String view, int entityCount, List<String> features, long ttlMillis,
      LongAccumulator sent, LongAccumulator applied) {
    this.settings = settings;
    this.view = view;
    this.entityCount = entityCount;
    this.features = features.toArray(String[]::new);
    this.ttlMillis = ttlMillis;
    this.sent = sent;
    this.applied = applied;
  }

  @Override
  public void call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return;
    }
    int flushAt = settings.batchSize() * settings.pipelineDepth();
    List<OnlineRecord> buffer = new ArrayList<>(flushAt);
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      while (rows.hasNext()) {
        buffer.add(toRecord(rows.next()));
        if (buffer.size() >= flushAt) {
          flush(store, buffer);
        }
      }
      flush(store, buffer);
    }
  }

  private void flush(OnlineStore store, List<OnlineRecord> buffer) {
    if (buffer.isEmpty()) {
      return;
    }
    long written = store.writeGuarded(buffer, ttlMillis);
    // Counted only once Redis acknowledged the whole flush.
    sent.add(buffer.size());
    applied.add(written);
    buffer.clear();
  }

  OnlineRecord toRecord(Row row) {
    List<Object> entity = new ArrayList<>(entityCount);
    for (int i = 0; i < entityCount; i++) {
      entity.add(row.get(i));
    }
    long eventTs = row.getLong(entityCount);
    long seq = row.getLong(entityCount + 1);
    List<String> fields = new ArrayList<>(features.length * 2);
    for (int f = 0; f < features.length; f++) {
      Object v = row.get(entityCount + 2 + f);
      if (v != null) {
        fields.add(features[f]);
        fields.add(OnlineKeys.encode(v));
      }
    }
    return new OnlineRecord(OnlineKeys.key(settings.keyPrefix(), view, entity), eventTs, seq, fields);
  }
}
