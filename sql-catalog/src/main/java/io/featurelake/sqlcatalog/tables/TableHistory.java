package io.featurelake.sqlcatalog.tables;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * A table's history, read from its Iceberg metadata alone (no engine): snapshots with their
 * summaries, branches and tags, the schemas it went through, and what each partition of a
 * snapshot holds. The same answers in the gateway (over its Spark catalog) and in any other JVM
 * (over Iceberg's JDBC catalog), see {@link LakeTables}.
 */
public final class TableHistory {

  private final LakeTables tables;

  public TableHistory(LakeTables tables) {
    this.tables = tables;
  }

  public TableDescription describe(TableName name) {
    Table table = tables.load(name);
    Snapshot current = table.currentSnapshot();
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    return new TableDescription(name, ((HasTableOperations) table).operations().current().formatVersion(),
        table.location(), table.schema().asStruct().toString(), table.spec().toString().replaceAll("\\s+", " "),
        table.sortOrder().toString().replaceAll("\\s+", " "), current == null ? null : current.snapshotId(),
        current == null ? null : time(current.timestampMillis()),
        current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-records", "0")),
        current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-data-files", "0")), snapshots,
        refs(table), new TreeMap<>(table.properties()));
  }

  /** Every snapshot the table still keeps (main's and the branches'), newest first. */
  public Page<SnapshotInfo> snapshots(TableName name, PageRequest page) {
    Table table = tables.load(name);
    Map<Long, OffsetDateTime> madeCurrent = new HashMap<>();
    for (HistoryEntry h : table.history()) {
      madeCurrent.putIfAbsent(h.snapshotId(), time(h.timestampMillis()));
    }
    Set<Long> onMain = mainAncestors(table);
    Map<Long, List<String>> refsBySnapshot = new HashMap<>();
    new TreeMap<>(table.refs()).forEach((ref, r) -> refsBySnapshot.computeIfAbsent(r.snapshotId(), k -> new ArrayList<>()).add(ref));
    List<SnapshotInfo> all = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      all.add(new SnapshotInfo(s.snapshotId(), s.parentId(), s.sequenceNumber(), time(s.timestampMillis()),
          madeCurrent.get(s.snapshotId()), s.operation(), s.schemaId(), onMain.contains(s.snapshotId()),
          List.copyOf(refsBySnapshot.getOrDefault(s.snapshotId(), List.of())),
          s.summary() == null ? Map.of() : new TreeMap<>(s.summary())));
    }
    all.sort(Comparator.comparingLong(SnapshotInfo::sequenceNumber).thenComparingLong(i -> i.committedAt().toInstant().toEpochMilli())
        .reversed());
    return Page.of(all, page);
  }

  /** One snapshot; NOT_FOUND when the table no longer keeps it. */
  public SnapshotInfo snapshot(TableName name, long snapshotId) {
    Page<SnapshotInfo> all = snapshots(name, PageRequest.first(PageRequest.MAX_LIMIT));
    return all.items().stream().filter(s -> s.snapshotId() == snapshotId).findFirst()
        .orElseThrow(() -> PlatformException.notFound("Snapshot %d of %s does not exist (never did, or expired)",
            snapshotId, name.qualified()));
  }

  /** Branches and tags, by name. */
  public List<RefInfo> refs(TableName name) {
    return refs(tables.load(name));
  }

  /** The schemas the table went through, oldest first, each with the first snapshot written with it. */
  public List<SchemaVersion> schemas(TableName name) {
    Table table = tables.load(name);
    Map<Integer, Snapshot> firstUse = new HashMap<>();
    for (Snapshot s : table.snapshots()) {
      if (s.schemaId() != null) {
        firstUse.merge(s.schemaId(), s, (a, b) -> a.sequenceNumber() <= b.sequenceNumber() ? a : b);
      }
    }
    int currentId = table.schema().schemaId();
    List<SchemaVersion> out = new ArrayList<>();
    for (Schema schema : new TreeMap<>(table.schemas()).values()) {
      List<SchemaVersion.Column> columns = new ArrayList<>();
      for (Types.NestedField f : schema.columns()) {
        columns.add(new SchemaVersion.Column(f.fieldId(), f.name(), f.type().toString(), f.isRequired(), f.doc()));
      }
      Snapshot first = firstUse.get(schema.schemaId());
      out.add(new SchemaVersion(schema.schemaId(), schema.schemaId() == currentId, columns,
          first == null ? null : first.snapshotId(), first == null ? null : time(first.timestampMillis())));
    }
    return out;
  }

  /**
   * What each partition of a snapshot holds (rows, data files, bytes), by partition; the current
   * snapshot of main when {@code snapshotIdOrNull} is null. Empty for a table without snapshot.
   */
  public List<PartitionStats> partitions(TableName name, Long snapshotIdOrNull) {
    Table table = tables.load(name);
    Long snapshotId = snapshotIdOrNull;
    if (snapshotId == null) {
      if (table.currentSnapshot() == null) {
        return List.of();
      }
      snapshotId = table.currentSnapshot().snapshotId();
    } else if (table.snapshot(snapshotId) == null) {
      throw PlatformException.notFound("Snapshot %d of %s does not exist (never did, or expired)", snapshotId,
          name.qualified());
    }
    Map<String, long[]> byPartition = new TreeMap<>();
    TableScan scan = table.newScan().useSnapshot(snapshotId);
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        String partition = table.specs().get(file.specId()).partitionToPath(file.partition());
        long[] sums = byPartition.computeIfAbsent(partition.isEmpty() ? "(unpartitioned)" : partition, k -> new long[3]);
        sums[0] += file.recordCount();
        sums[1]++;
        sums[2] += file.fileSizeInBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<PartitionStats> out = new ArrayList<>();
    byPartition.forEach((p, s) -> out.add(new PartitionStats(p, s[0], (int) s[1], s[2])));
    return out;
  }

  private static List<RefInfo> refs(Table table) {
    List<RefInfo> out = new ArrayList<>();
    new TreeMap<>(table.refs()).forEach((ref, r) -> out.add(refInfo(ref, r)));
    return out;
  }

  private static RefInfo refInfo(String name, SnapshotRef r) {
    return new RefInfo(name, r.isBranch() ? "BRANCH" : "TAG", r.snapshotId(), r.maxRefAgeMs(), r.maxSnapshotAgeMs(),
        r.minSnapshotsToKeep());
  }

  private static Set<Long> mainAncestors(Table table) {
    Set<Long> ids = new HashSet<>();
    for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      ids.add(s.snapshotId());
    }
    return ids;
  }

  static OffsetDateTime time(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}
