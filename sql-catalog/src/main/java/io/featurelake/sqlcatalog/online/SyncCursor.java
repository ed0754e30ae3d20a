package io.featurelake.sqlcatalog.online;

import java.time.OffsetDateTime;

/**
 * Where the online store of a feature view stands: every change of {@code main} up to and
 * including {@code snapshotId} is in Redis (or was refused by the guard in favour of a newer row).
 *
 * @param sequenceNumber Iceberg sequence number of that snapshot
 * @param snapshotAt commit time of that snapshot
 * @param syncId the sync that moved the cursor here
 */
public record SyncCursor(String featureView, String tableName, long snapshotId, long sequenceNumber,
    OffsetDateTime snapshotAt, long syncId, OffsetDateTime updatedAt) {}
