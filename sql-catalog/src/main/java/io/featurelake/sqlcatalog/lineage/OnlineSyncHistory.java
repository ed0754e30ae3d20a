package io.featurelake.sqlcatalog.lineage;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Where lineage learns which online sync carried a snapshot to the online store. The online
 * sync keeps its cursor (last synced snapshot of main per view) in the catalog database; an
 * implementation reads that. Lineage only needs each sync's snapshot range: a sync carried a
 * published snapshot P when P is an ancestor of (or equal to) the sync's end snapshot and not
 * an ancestor of its start snapshot.
 */
public interface OnlineSyncHistory {

  /** No online sync in this installation: lineage says so instead of guessing. */
  OnlineSyncHistory NONE = table -> Optional.empty();

  /**
   * The completed syncs of a table, oldest first; empty when online sync is not installed
   * (then lineage reports "no online sync").
   */
  Optional<List<OnlineSync>> syncs(String tableName);

  /**
   * One completed sync of a table.
   *
   * @param syncId the sync's id in the catalog database
   * @param fromSnapshotId the cursor before (exclusive), null for a full sync
   * @param toSnapshotId the cursor after (inclusive): main's head that the sync read
   * @param finishedAt when the cursor advanced
   */
  record OnlineSync(String syncId, Long fromSnapshotId, long toSnapshotId, OffsetDateTime finishedAt) {
  }
}
