package io.featurelake.sqlcatalog.online;

import java.time.OffsetDateTime;

/**
 * Where a view's online store stands. Null fields: not applicable (no table, no cursor, no sync).
 *
 * @param lagSnapshots snapshots on main after the cursor (audit stamps included)
 * @param lagSeconds commit time of main's head minus that of the cursor's snapshot
 * @param lastSyncOwner {@code host pid 123} of the process that ran the last sync
 */
public record OnlineStatus(String featureView, Long cursorSnapshotId, OffsetDateTime cursorSnapshotAt, Long mainSnapshotId,
    OffsetDateTime mainSnapshotAt, Long lagSnapshots, Long lagSeconds, Long lastSyncId, String lastSyncMode,
    String lastSyncStatus, Long lastRowsRead, Long lastKeysWritten, Long lastKeysApplied, Long lastDurationMs,
    OffsetDateTime lastSyncAt, String lastMessage, String lastSyncOwner) {}
