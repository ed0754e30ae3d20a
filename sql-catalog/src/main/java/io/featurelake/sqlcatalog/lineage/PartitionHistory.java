package io.featurelake.sqlcatalog.lineage;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Main's history per day partition, newest first: which commits added or removed data files of
 * each day. Read from the manifests each commit added, so it works for any day-partitioned
 * table and survives a fast-forward, a rebase (cherry-pick) and compaction. History older than
 * the oldest snapshot still kept (expire_snapshots) is gone.
 */
final class PartitionHistory {

  private PartitionHistory() {}

  /**
   * Walks main from its head back, stopping after {@code stopAt} (inclusive) when it matches.
   * {@code only}, when not null, limits the partitions looked at.
   */
  static Map<LocalDate, List<PartitionEvent>> walk(String tableName, Table table, Set<LocalDate> only,
      Predicate<Snapshot> stopAt) {
    Map<LocalDate, List<PartitionEvent>> events = new LinkedHashMap<>();
    Snapshot head = table.currentSnapshot();
    if (head == null) {
      return events;
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(head.snapshotId(), table::snapshot)) {
      for (PartitionEvent e : eventsOf(tableName, table, s)) {
        if (only == null || only.contains(e.partition())) {
          events.computeIfAbsent(e.partition(), d -> new ArrayList<>()).add(e);
        }
      }
      if (stopAt.test(s)) {
        break;
      }
    }
    return events;
  }

  /** The partitions one commit changed, one event per day. */
  static List<PartitionEvent> eventsOf(String tableName, Table table, Snapshot s) {
    Map<LocalDate, int[]> counts = new HashMap<>();
    // SnapshotChanges reads manifests with the table's specs (Snapshot.addedDataFiles(io) warns on every manifest).
    SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(s).build();
    for (DataFile f : changes.addedDataFiles()) {
      counts.computeIfAbsent(day(tableName, table, f), d -> new int[2])[0]++;
    }
    for (DataFile f : changes.removedDataFiles()) {
      counts.computeIfAbsent(day(tableName, table, f), d -> new int[2])[1]++;
    }
    Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
    String op = s.operation() == null ? "unknown" : s.operation();
    PartitionEvent.Writer writer = PartitionEvent.writerOf(op, summary);
    Long runId = writer == PartitionEvent.Writer.RUN ? Long.valueOf(summary.get(io.featurelake.sqlcatalog.lake.Lineage.RUN_ID)) : null;
    // A dynamic overwrite (ReplacePartitions) drops every older file of the days it writes.
    boolean replaces = "overwrite".equals(op) && "true".equals(summary.get("replace-partitions"));
    List<PartitionEvent> out = new ArrayList<>();
    counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(new PartitionEvent(e.getKey(),
        s.snapshotId(), s.timestampMillis(), op, writer, runId, e.getValue()[0], e.getValue()[1],
        replaces && e.getValue()[0] > 0, summary)));
    return out;
  }

  /** The day of a data file: a day(ts) partition field, or an identity partition on a DATE column. */
  static LocalDate day(String tableName, Table table, DataFile file) {
    PartitionSpec spec = table.specs().get(file.specId());
    int position = dayField(tableName, table, spec);
    Integer days = file.partition().get(position, Integer.class);
    return days == null ? null : LocalDate.ofEpochDay(days);
  }

  static int dayField(String tableName, Table table, PartitionSpec spec) {
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField f = fields.get(i);
      String transform = f.transform().toString();
      Type source = table.schemas().values().stream().map(sc -> sc.findType(f.sourceId()))
          .filter(t -> t != null).findFirst().orElse(null);
      if (transform.equals("day") || (transform.equals("identity") && source != null
          && source.typeId() == Type.TypeID.DATE)) {
        return i;
      }
    }
    throw PlatformException.invalidState("%s is not partitioned by day (partition spec %s); partition lineage needs "
        + "a day(...) partition", tableName, spec.toString().replaceAll("\\s+", " "));
  }
}
