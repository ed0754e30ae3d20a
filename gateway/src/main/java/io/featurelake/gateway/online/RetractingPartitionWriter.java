package io.featurelake.gateway.online;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Sends one partition of {@link OnlineRows#withReplacements} through the retraction script
 * ({@code online-retract.lua}). Rows: entity columns, {@code _retract_ts}, {@code _retract_seq},
 * then the replacement's {@code _event_ts}, {@code _snapshot_seq} and features (null event time:
 * no replacement).
 */
final class RetractingPartitionWriter extends OnlinePartitionWriter<OnlineRetraction> {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator sent;
  private final LongAccumulator replaced;
  private final LongAccumulator deleted;

  RetractingPartitionWriter(RedisSettings settings, String view, int entityCount, List<String> features, long ttlMillis,
      LongAccumulator sent, LongAccumulator replaced, LongAccumulator deleted, LongAccumulator acknowledged) {
    super(settings, view, entityCount, features, ttlMillis, acknowledged);
    this.sent = sent;
    this.replaced = replaced;
    this.deleted = deleted;
  }

  @Override
  void send(OnlineStore store, List<OnlineRetraction> batch) {
    OnlineRetraction.Outcome outcome = store.retract(batch, ttlMillis, acknowledged::add);
    sent.add(batch.size());
    replaced.add(outcome.replaced());
    deleted.add(outcome.deleted());
  }

  @Override
  OnlineRetraction toItem(Row row) {
    String key = keyOf(row);
    long retractTs = row.getLong(entityCount);
    long retractSeq = row.getLong(entityCount + 1);
    int at = entityCount + 2;
    if (row.isNullAt(at)) {
      return new OnlineRetraction(key, retractTs, retractSeq, null);
    }
    return new OnlineRetraction(key, retractTs, retractSeq,
        new OnlineRecord(key, row.getLong(at), row.getLong(at + 1), fieldsAt(row, at + 2)));
  }
}
