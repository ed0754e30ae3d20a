package io.featurelake.sqlcatalog.lineage;

import org.apache.iceberg.Snapshot;

/**
 * One data-changing commit of a table's main history, for the table's lineage.
 *
 * @param table {@code lake.namespace.table}
 * @param snapshot the commit
 * @param writer who made it
 * @param partitions the day partitions it changed, comma-separated ("" for unpartitioned tables)
 * @param tags for a run's data commit its tag {@code run_<id>} (which points at the audit stamp just
 *     after it), else the tags pointing at the commit
 */
public record PartitionEventGroup(String table, Snapshot snapshot, PartitionEvent.Writer writer, String partitions,
    String tags) {
}
