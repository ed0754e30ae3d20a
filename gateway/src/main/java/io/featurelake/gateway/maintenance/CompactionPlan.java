package io.featurelake.gateway.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** Dry-run estimate of bin-pack compaction: partitions with two or more files are rewritten. */
record CompactionPlan(int partitions, long filesToRewrite, long expectedOutputFiles) {
  static CompactionPlan of(Table table, long target) {
    if (table.currentSnapshot() == null) {
      return new CompactionPlan(0, 0, 0);
    }
    Map<String, long[]> byPartition = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        String key = task.file().specId() + "/" + table.specs().get(task.file().specId()).partitionToPath(task.file().partition());
        long[] v = byPartition.computeIfAbsent(key, k -> new long[2]);
        v[0]++;
        v[1] += task.file().fileSizeInBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int partitions = 0;
    long files = 0;
    long outputs = 0;
    for (long[] v : byPartition.values()) {
      long expected = Math.max(1, (v[1] + target - 1) / target);
      if (v[0] >= 2 && expected < v[0]) {
        partitions++;
        files += v[0];
        outputs += expected;
      }
    }
    return new CompactionPlan(partitions, files, outputs);
  }
}

