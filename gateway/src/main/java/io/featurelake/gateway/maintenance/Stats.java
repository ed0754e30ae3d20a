package io.featurelake.gateway.maintenance;

import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/** Size figures of a table's main and history. */
record Stats(long dataFiles, long dataBytes, long manifests, int snapshots) {
  static Stats of(Table table) {
    Snapshot current = table.currentSnapshot();
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    if (current == null) {
      return new Stats(0, 0, 0, snapshots);
    }
    Map<String, String> s = current.summary();
    return new Stats(Long.parseLong(s.getOrDefault("total-data-files", "0")),
        Long.parseLong(s.getOrDefault("total-files-size", "0")), current.allManifests(table.io()).size(), snapshots);
  }
}

