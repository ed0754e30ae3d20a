package io.featurelake.gateway.maintenance;

import java.util.Map;

/**
 * Where the online sync keeps its cursors: per feature table ({@code lake.features.<view>}) the
 * snapshot id of main it last synced. Maintenance tags each of them ({@value MaintenanceService#SYNC_CURSOR_TAG})
 * before expiring snapshots, so the next sync can still diff from its cursor (an incremental
 * changelog scan needs the start snapshot to exist).
 */
@FunctionalInterface
public interface SyncCursorSource {

  /** No online sync configured: nothing to protect. */
  SyncCursorSource NONE = Map::of;

  /** Table name ({@code lake.features.v}) to the last synced snapshot id of its main. */
  Map<String, Long> cursors();

  /** The cursors the online sync keeps in the catalog database. */
  static SyncCursorSource of(javax.sql.DataSource catalogDatabase) {
    io.featurelake.sqlcatalog.online.OnlineSyncRepository repository =
        new io.featurelake.sqlcatalog.online.OnlineSyncRepository(catalogDatabase);
    return () -> {
      Map<String, Long> out = new java.util.LinkedHashMap<>();
      repository.cursors().forEach(c -> out.put(c.tableName(), c.snapshotId()));
      return out;
    };
  }
}
