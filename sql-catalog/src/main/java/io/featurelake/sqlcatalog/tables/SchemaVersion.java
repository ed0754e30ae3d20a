package io.featurelake.sqlcatalog.tables;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One schema of a table's history.
 *
 * @param firstSnapshotId the oldest snapshot written with it (null if none was)
 * @param firstUsedAt that snapshot's commit time
 */
public record SchemaVersion(int schemaId, boolean current, List<Column> columns, Long firstSnapshotId,
    OffsetDateTime firstUsedAt) {

  /** A column: Iceberg field id, name, type as Iceberg writes it, required or not. */
  public record Column(int fieldId, String name, String type, boolean required, String doc) {}
}
