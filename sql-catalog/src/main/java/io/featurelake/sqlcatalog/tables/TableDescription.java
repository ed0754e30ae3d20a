package io.featurelake.sqlcatalog.tables;

import io.featurelake.sqlcatalog.lake.TableName;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What a table is made of: format, location, schema, partitioning, its current state and refs. */
public record TableDescription(TableName name, int formatVersion, String location, String schema,
    String partitionSpec, String sortOrder, Long currentSnapshotId, OffsetDateTime currentSnapshotAt,
    long totalRecords, long totalDataFiles, int snapshots, List<RefInfo> refs, Map<String, String> properties) {

  public List<RefInfo> branches() {
    return refs.stream().filter(RefInfo::isBranch).toList();
  }

  public List<RefInfo> tags() {
    return refs.stream().filter(r -> !r.isBranch()).toList();
  }
}
