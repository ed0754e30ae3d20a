package io.featurelake.gateway.online;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How the sync notices that Redis lost what it had written, so that online still equals offline
 * after a restart without persistence, a FLUSHDB, a failover to a lagging replica or an eviction.
 *
 * <p>Whole loss: every successful sync writes the view's marker key ({@link OnlineKeys#markerKey},
 * no expiry) holding the snapshot it synced, just before the cursor moves. An incremental sync
 * first reads it: absent, or older than the cursor (a replica that had not received the last
 * sync), means Redis does not hold what the cursor says, and the sync becomes a full guarded one.
 *
 * <p>Single keys lost (evicted, expired): of the entities the range inserted rows for, those
 * whose key is absent get main's latest row, which may be newer than the inserted one.
 */
final class RedisLoss {

  /** Entities of the range checked against Redis from the driver; above it every one is treated as absent. */
  static final int PRECHECK_LIMIT = 100_000;

  private final SparkSession spark;
  private final RedisSettings settings;
  private final String view;

  RedisLoss(SparkSession spark, RedisSettings settings, String view) {
    this.spark = spark;
    this.settings = settings;
    this.view = view;
  }

  String markerKey() {
    return OnlineKeys.markerKey(settings.keyPrefix(), view);
  }

  /**
   * Why an incremental sync from {@code cursor} cannot trust Redis, or empty when it can. An
   * unreachable Redis says nothing here: the sync's own PING reports it.
   */
  Optional<String> lostSince(Table table, long cursor) {
    Optional<String> marker;
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      marker = store.readMarker(markerKey());
    } catch (OnlineStoreException unreachable) {
      return Optional.empty();
    }
    if (marker.isEmpty()) {
      return Optional.of("Redis has lost the view's data (marker key " + markerKey() + " is missing: Redis was emptied, "
          + "restarted without persistence or failed over): fell back to a full guarded sync");
    }
    long synced;
    try {
      synced = Long.parseLong(marker.get().trim());
    } catch (NumberFormatException e) {
      return Optional.of("the marker key " + markerKey() + " holds '" + marker.get() + "', not a snapshot id: fell back to "
          + "a full guarded sync");
    }
    // Equal, or newer (a sync wrote Redis but died before moving the cursor): Redis holds at least the cursor.
    if (synced == cursor || table.snapshot(synced) != null && SnapshotUtil.isAncestorOf(table, synced, cursor)) {
      return Optional.empty();
    }
    return Optional.of("Redis holds the view as of snapshot " + synced + ", older than the cursor " + cursor
        + " (restored or failed over to a replica that lagged): fell back to a full guarded sync");
  }

  void markSynced(long snapshotId) {
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      store.writeMarker(markerKey(), Long.toString(snapshotId));
    }
  }

  /**
   * Of {@code inserted} (latest inserted row per entity), the entities whose key Redis does not
   * hold (entity columns and {@code _event_ts}), or null when it holds all of them. Above
   * {@link #PRECHECK_LIMIT} entities, all of them (checking costs more than reading main).
   */
  Dataset<Row> absent(Dataset<Row> inserted, int entityCount) {
    List<String> columns = new ArrayList<>();
    for (int i = 0; i <= entityCount; i++) {
      columns.add(inserted.schema().fields()[i].name());
    }
    Dataset<Row> entities = inserted.select(columns.stream().map(c -> col(OnlineRows.quote(c))).toArray(org.apache.spark.sql.Column[]::new));
    List<Row> some = entities.limit(PRECHECK_LIMIT + 1).collectAsList();
    if (some.isEmpty()) {
      return null;
    }
    if (some.size() > PRECHECK_LIMIT) {
      return entities;
    }
    List<String> keys = new ArrayList<>(some.size());
    for (Row r : some) {
      keys.add(OnlinePartitionWriter.keyOf(r, entityCount, settings.keyPrefix(), view));
    }
    List<Map<String, String>> stored;
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      stored = store.readAll(keys);
    }
    List<Row> gone = new ArrayList<>();
    for (int i = 0; i < some.size(); i++) {
      if (stored.get(i) == null || stored.get(i).isEmpty()) {
        gone.add(some.get(i));
      }
    }
    return gone.isEmpty() ? null : spark.createDataFrame(gone, entities.schema());
  }

  /** The oldest {@code _event_ts} of {@link #absent}'s rows. */
  static long oldestEvent(Dataset<Row> absent) {
    return absent.agg(min(col(OnlineRows.EVENT_TS))).first().getLong(0);
  }
}
