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
}
