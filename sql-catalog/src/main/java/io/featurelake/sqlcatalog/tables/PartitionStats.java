package io.featurelake.sqlcatalog.tables;

/**
 * What one partition of a snapshot holds.
 *
 * @param partition the partition as Iceberg writes its path, e.g. {@code event_date_day=2023-01-01}
 */
public record PartitionStats(String partition, long records, int dataFiles, long sizeBytes) {}
