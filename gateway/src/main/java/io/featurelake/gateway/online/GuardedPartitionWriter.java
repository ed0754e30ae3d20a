package io.featurelake.gateway.online;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes one partition of latest-per-entity rows through the guard ({@code online-guard.lua}).
 * Rows: entity columns, {@code _event_ts}, {@code _snapshot_seq}, then the features.
 */
final class GuardedPartitionWriter extends OnlinePartitionWriter<OnlineRecord> {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator sent;
  private final LongAccumulator applied;

  GuardedPartitionWriter(RedisSettings settings, String view, int entityCount, List<String> features, long ttlMillis,
      LongAccumulator sent, LongAccumulator applied, LongAccumulator acknowledged) {
    super(settings, view, entityCount, features, ttlMillis, acknowledged);
    this.sent = sent;
    this.applied = applied;
  }

  @Override
  OnlineRecord toItem(Row row) {
    return toRecord(row);
  }

  @Override
  void send(OnlineStore store, List<OnlineRecord> batch) {
    long written = store.writeGuarded(batch, ttlMillis, acknowledged::add);
    sent.add(batch.size());
    applied.add(written);
  }

  OnlineRecord toRecord(Row row) {
    return new OnlineRecord(keyOf(row), row.getLong(entityCount), row.getLong(entityCount + 1),
        fieldsAt(row, entityCount + 2));
  }
}
