package io.featurelake.gateway.maintenance;

import java.util.HashSet;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/** Dry-run replica of Iceberg's RemoveSnapshots retention: which snapshots an expiry would remove. */
final class ExpiryPlan {
  private ExpiryPlan() {}

  static Set<Long> wouldExpire(Table table, long cutoff, int retainLast, long now) {
    Set<Long> retained = new HashSet<>();
    Set<Long> onBranches = new HashSet<>();
    for (SnapshotRef ref : table.refs().values()) {
      retained.add(ref.snapshotId());
      if (!ref.isBranch()) {
        continue;
      }
      int min = ref.minSnapshotsToKeep() != null ? ref.minSnapshotsToKeep() : retainLast;
      long olderThan = ref.maxSnapshotAgeMs() != null ? now - ref.maxSnapshotAgeMs() : cutoff;
      int kept = 0;
      boolean keeping = true;
      for (Snapshot s : SnapshotUtil.ancestorsOf(ref.snapshotId(), table::snapshot)) {
        onBranches.add(s.snapshotId());
        if (keeping && (kept < min || s.timestampMillis() >= olderThan)) {
          retained.add(s.snapshotId());
          kept++;
        } else {
          keeping = false;
        }
      }
    }
    Set<Long> expired = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      boolean unreferencedButYoung = !onBranches.contains(s.snapshotId()) && s.timestampMillis() >= cutoff;
      if (!retained.contains(s.snapshotId()) && !unreferencedButYoung) {
        expired.add(s.snapshotId());
      }
    }
    return expired;
  }
}
