package io.featurelake.gateway.online;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs in the executors: sends one partition of rows to the online store in pipelined batches
 * ({@code batch-size x pipeline-depth} items per flush), on its own connection. Any Redis failure
 * fails the task and so the job; the driver then leaves the cursor where it was. Subclasses say
 * how a row becomes an item and how a flush is sent and counted (counted only once Redis
 * acknowledged the whole flush).
 *
 * <p>Rows start with the entity columns; {@link #keyOf} and {@link #fieldsAt} read them.
 */
abstract class OnlinePartitionWriter<T> implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;

  final RedisSettings settings;
  final String view;
  final int entityCount;
  final String[] features;
  final long ttlMillis;
  /**
   * Keys Redis acknowledged, counted per call as its reply arrives and kept by Spark for failed
   * tasks too (see {@link SyncService}): the count a failed sync reports.
   */
  final LongAccumulator acknowledged;

  OnlinePartitionWriter(RedisSettings settings, String view, int entityCount, List<String> features, long ttlMillis,
      LongAccumulator acknowledged) {
    this.settings = settings;
    this.acknowledged = acknowledged;
    this.view = view;
    this.entityCount = entityCount;
    this.features = features.toArray(String[]::new);
    this.ttlMillis = ttlMillis;
  }

  abstract T toItem(Row row);

  abstract void send(OnlineStore store, List<T> batch);

  @Override
  public void call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return;
    }
    int flushAt = settings.batchSize() * settings.pipelineDepth();
    List<T> buffer = new ArrayList<>(flushAt);
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      while (rows.hasNext()) {
        buffer.add(toItem(rows.next()));
        if (buffer.size() >= flushAt) {
          send(store, buffer);
          buffer.clear();
        }
      }
      if (!buffer.isEmpty()) {
        send(store, buffer);
      }
    }
  }

  /** The online key of the row's entity (its first {@code entityCount} columns). */
  static String keyOf(Row row, int entityCount, String keyPrefix, String view) {
    List<Object> entity = new ArrayList<>(entityCount);
    for (int i = 0; i < entityCount; i++) {
      entity.add(row.get(i));
    }
    return OnlineKeys.key(keyPrefix, view, entity);
  }

  String keyOf(Row row) {
    return keyOf(row, entityCount, settings.keyPrefix(), view);
  }

  /** Field, encoded value, ... for the non-null features, which start at column {@code at}. */
  List<String> fieldsAt(Row row, int at) {
    List<String> fields = new ArrayList<>(features.length * 2);
    for (int f = 0; f < features.length; f++) {
      Object v = row.get(at + f);
      if (v != null) {
        fields.add(features[f]);
        fields.add(OnlineKeys.encode(v));
      }
    }
    return fields;
  }
}
