package io.featurelake.gateway.backfill;

import io.featurelake.sqlcatalog.lake.Lineage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Which of a run's partitions main changed since the run's branch was cut, named as people read
 * them (days: {@code 2023-01-05}, not Iceberg's epoch-day {@code event_date_day=19361}).
 *
 * <p>Why the platform checks this itself instead of Iceberg's {@code validateFromSnapshot}: that
 * validation has one starting point, so a compaction (a {@code replace} commit: new files, the
 * same rows) in one of the run's days after a real data commit elsewhere counted as a
 * conflicting delete and refused a correct publish. Here every commit is judged on its own:
 * {@code replace} commits never conflict (the run replaces the whole day, whatever files hold
 * it); any other commit conflicts when it added or removed a data or delete file in a day the run
 * writes. The run's branch is private to the run and committed to only under the publish lock,
 * so nothing else can slip in between this check and the rebase commit.
 */
final class RebaseConflicts {

  private RebaseConflicts() {}

  /** The conflicts, empty when the run may be replayed onto {@code mainHead}. */
  static List<String> between(Table table, long baseSnapshotId, long mainHead, long writtenSnapshotId) {
    Set<String> runPartitions = new LinkedHashSet<>();
    for (ContentFile<?> f : table.snapshot(writtenSnapshotId).addedDataFiles(table.io())) {
      runPartitions.add(key(table, f));
    }
    List<String> conflicts = new ArrayList<>();
    if (!SnapshotUtil.isAncestorOf(table, mainHead, baseSnapshotId)) {
      conflicts.add("main no longer contains the snapshot " + baseSnapshotId + " the run was cut from (rolled back or replaced)");
      return conflicts;
    }
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, mainHead, baseSnapshotId)) {
      if (DataOperations.REPLACE.equals(s.operation())) {
        continue;
      }
      Set<String> touched = new TreeSet<>();
      List<Iterable<? extends ContentFile<?>>> changes = List.of(s.addedDataFiles(table.io()), s.removedDataFiles(table.io()),
          s.addedDeleteFiles(table.io()), s.removedDeleteFiles(table.io()));
      for (Iterable<? extends ContentFile<?>> files : changes) {
        for (ContentFile<?> f : files) {
          String k = key(table, f);
          if (runPartitions.contains(k)) {
            touched.add(readable(k));
          }
        }
      }
      if (!touched.isEmpty()) {
        conflicts.add(String.join(", ", touched) + " by " + writer(s));
      }
    }
    return conflicts;
  }

  /** Spec id and partition path: equal keys mean the same partition. */
  private static String key(Table table, ContentFile<?> file) {
    PartitionSpec spec = table.specs().get(file.specId());
    return file.specId() + ":" + spec.partitionToPath(file.partition());
  }

  /** {@code 0:event_date_day=2023-01-05} -> {@code 2023-01-05}; several fields keep their names. */
  static String readable(String key) {
    String path = key.substring(key.indexOf(':') + 1);
    if (path.isEmpty()) {
      return "the whole table (unpartitioned)";
    }
    if (path.contains("/")) {
      return path;
    }
    return path.substring(path.indexOf('=') + 1);
  }

  private static String writer(Snapshot s) {
    String run = s.summary().get(Lineage.RUN_ID);
    return (run == null ? "a " + s.operation() + " commit" : "run " + run) + " (snapshot " + s.snapshotId() + ")";
  }
}
