package io.featurelake.sqlcatalog.lineage;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.tables.LakeTables;
import io.featurelake.sqlcatalog.tables.TimeTravel;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.features.FeatureViewRegistry;
import io.featurelake.sqlcatalog.features.FeatureViewVersion;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import javax.sql.DataSource;

/**
 * Lineage, both directions: what produced a partition or a snapshot (run, definition, inputs,
 * audit, publish), and what a run fed (its partitions, whether main still holds them, the
 * online sync that carried them). Read from the snapshot summaries the platform writes, main's
 * history and the run records; nothing here writes. Spark-free: the gateway's procedures and the
 * web UI read the same answers (the tables come from {@link LakeTables}).
 */
public final class LineageService {

  private final LakeTables tables;
  private final RunRepository runs;
  private final AuditReportRepository reports;
  private final FeatureViewRegistry registry;
  private final OnlineSyncHistory syncs;

  public LineageService(LakeTables tables, DataSource db) {
    this(tables, db, new CatalogOnlineSyncHistory(db));
  }

  public LineageService(LakeTables tables, DataSource db, OnlineSyncHistory syncs) {
    this.tables = tables;
    this.runs = new RunRepository(db);
    this.reports = new AuditReportRepository(db);
    this.registry = new FeatureViewRegistry(db);
    this.syncs = syncs;
  }

  public RunRepository runs() {
    return runs;
  }

  public FeatureViewRegistry registry() {
    return registry;
  }

  public BackfillRun findRun(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }

  public Table featureTable(BackfillRun run) {
    return tables.featureTable(run.featureView());
  }

  /** Everything about a run, as (section, key, value) rows. */
  public List<LineageRow> run(long runId) {
    BackfillRun run = findRun(runId);
    List<LineageRow> rows = new ArrayList<>();
    rows.add(LineageRow.of("run", "run_id", run.runId()));
    rows.add(LineageRow.of("run", "feature_view", run.featureView()));
    rows.add(LineageRow.of("run", "table", run.tableName()));
    rows.add(LineageRow.of("run", "window", run.window()));
    rows.add(LineageRow.of("run", "state", run.state()));
    rows.add(LineageRow.of("run", "started_by", run.startedBy()));
    rows.add(LineageRow.of("run", "origin", run.origin()));
    rows.add(LineageRow.of("run", "host", run.ownerHost() + " pid " + run.ownerPid()));
    rows.add(LineageRow.of("run", "created_at", run.createdAt()));
    rows.add(LineageRow.of("run", "published_at", run.publishedAt()));
    rows.add(LineageRow.of("run", "message", run.message()));

    rows.add(LineageRow.of("definition", "sha256", run.definitionSha256()));
    rows.add(LineageRow.of("definition", "git_commit", run.gitCommit()));
    rows.add(LineageRow.of("definition", "git_dirty", run.gitDirty()));
    Optional<FeatureViewVersion> version = registry.version(run.featureView(), run.definitionSha256());
    rows.add(LineageRow.of("definition", "first_seen_at", version.map(FeatureViewVersion::firstSeenAt).orElse(null)));
    rows.add(LineageRow.of("definition", "definition_text", version.map(FeatureViewVersion::definitionText)
        .orElse("(not stored: definition " + run.definitionSha256() + " is missing from feature_view_versions)")));

    run.sourceSnapshots().forEach((table, id) -> rows.add(LineageRow.of("input", table, id == null ? "none (empty table)" : id)));

    rows.add(LineageRow.of("output", "branch", run.branch()));
    rows.add(LineageRow.of("output", "base_snapshot_id", run.baseSnapshotId()));
    rows.add(LineageRow.of("output", "written_snapshot_id", run.writtenSnapshotId()));
    rows.add(LineageRow.of("output", "audited_snapshot_id", run.auditedSnapshotId()));
    rows.add(LineageRow.of("output", "published_snapshot_id", run.publishedSnapshotId()));
    rows.add(LineageRow.of("output", "tag", run.state() == RunState.PUBLISHED ? run.tag() : null));
    rows.add(LineageRow.of("output", "row_count", run.rowCount()));

    rows.add(LineageRow.of("audit", "report_id", run.reportId()));
    if (run.reportId() != null) {
      reports.find(run.reportId()).ifPresent((AuditReport r) -> {
        rows.add(LineageRow.of("audit", "verdict", r.passed() ? "PASSED" : "FAILED"));
        rows.add(LineageRow.of("audit", "audited_snapshot_id", r.snapshotId()));
        rows.add(LineageRow.of("audit", "failed_checks", r.failures().size()));
      });
    }

    if (run.state() == RunState.PUBLISHED) {
      Table table = featureTable(run);
      for (RunPartition p : partitionsOf(run, table)) {
        rows.add(LineageRow.of("fed", run.tableName() + "/" + p.partition(), p.status() + ": " + p.detail()));
      }
      rows.add(LineageRow.of("online_sync", run.tableName(), onlineSync(run, table)));
    } else {
      rows.add(LineageRow.of("fed", run.tableName(), "nothing: the run was never published (" + run.state() + ")"));
    }
    return rows;
  }

  /**
   * The partitions a published run wrote and what became of each on main since: still there,
   * superseded by a later run, or changed outside the platform.
   */
  public List<RunPartition> partitionsOf(BackfillRun run, Table table) {
    Map<LocalDate, List<PartitionEvent>> history = PartitionHistory.walk(run.tableName(), table, null,
        s -> isDataCommitOf(s, run.runId()));
    Set<LocalDate> written = new LinkedHashSet<>();
    boolean commitFound = false;
    for (Map.Entry<LocalDate, List<PartitionEvent>> e : new TreeMap<>(history).entrySet()) {
      for (PartitionEvent event : e.getValue()) {
        if (isRunData(event, run.runId())) {
          written.add(e.getKey());
          commitFound = true;
        }
      }
    }
    if (!commitFound) {
      // The data commit is no longer in main's history (expired): fall back to the window's days.
      for (LocalDate d = run.startDate(); d.isBefore(run.endDate()); d = d.plusDays(1)) {
        written.add(d);
      }
    }
    List<RunPartition> out = new ArrayList<>();
    for (LocalDate day : written) {
      out.add(classify(run.runId(), day, history.getOrDefault(day, List.of()), commitFound));
    }
    return out;
  }

  private static RunPartition classify(long runId, LocalDate day, List<PartitionEvent> events, boolean commitFound) {
    List<PartitionEvent> newer = new ArrayList<>();
    boolean found = false;
    for (PartitionEvent e : events) {
      if (isRunData(e, runId)) {
        found = true;
        break;
      }
      newer.add(e);
    }
    PartitionEvent replacer = null;
    for (int i = newer.size() - 1; i >= 0 && replacer == null; i--) {
      if (newer.get(i).replacedPartition()) {
        replacer = newer.get(i);
      }
    }
    if (replacer != null) {
      return replacer.writer() == PartitionEvent.Writer.RUN
          ? new RunPartition(day, RunPartition.Status.SUPERSEDED, replacer, "superseded by " + replacer.describe())
          : new RunPartition(day, RunPartition.Status.CHANGED_OUTSIDE, replacer, "replaced by " + replacer.describe());
    }
    for (PartitionEvent e : newer) {
      if (e.writer() != PartitionEvent.Writer.COMPACTION) {
        return new RunPartition(day, RunPartition.Status.CHANGED_OUTSIDE, e, "changed by " + e.describe());
      }
    }
    if (!found && !commitFound) {
      return new RunPartition(day, RunPartition.Status.UNKNOWN, null,
          "the run's commit is no longer in main's history (expired snapshots)");
    }
    if (!found) {
      return new RunPartition(day, RunPartition.Status.UNKNOWN, null, "the run wrote no rows for this day");
    }
    if (!newer.isEmpty()) {
      return new RunPartition(day, RunPartition.Status.ON_MAIN, null, "on main, rewritten by " + newer.get(0).describe());
    }
    return new RunPartition(day, RunPartition.Status.ON_MAIN, null, "on main");
  }

  private static boolean isRunData(PartitionEvent e, long runId) {
    return e.writer() == PartitionEvent.Writer.RUN && e.runId() == runId && e.addedFiles() > 0;
  }

  private static boolean isDataCommitOf(Snapshot s, long runId) {
    Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
    return String.valueOf(runId).equals(summary.get(Lineage.RUN_ID)) && !summary.containsKey(Lineage.STAMP)
        && !"0".equals(summary.getOrDefault("added-data-files", "0"));
  }

  /** The online sync that carried the run's published snapshot, as one line. */
  private String onlineSync(BackfillRun run, Table table) {
    Optional<List<OnlineSyncHistory.OnlineSync>> known = syncs.syncs(run.tableName());
    if (known.isEmpty()) {
      return "no online sync in this installation";
    }
    long published = run.publishedSnapshotId();
    for (OnlineSyncHistory.OnlineSync sync : known.get()) {
      boolean reaches = table.snapshot(sync.toSnapshotId()) != null && SnapshotUtil.isAncestorOf(table, sync.toSnapshotId(), published);
      boolean before = sync.fromSnapshotId() != null && table.snapshot(sync.fromSnapshotId()) != null
          && SnapshotUtil.isAncestorOf(table, sync.fromSnapshotId(), published);
      if (reaches && !before) {
        return "sync " + sync.syncId() + " at " + sync.finishedAt() + " (cursor " + sync.fromSnapshotId() + " -> "
            + sync.toSnapshotId() + ")";
      }
    }
    return "not synced yet";
  }

  /** What produced a day partition of a table: main's commits to it, newest first, back to the one that replaced it whole. */
  public List<PartitionEvent> partition(String tableArgument, LocalDate day) {
    TableName t = TableName.parse(LakeNames.procedure("lineage_partition"), tableArgument);
    Table table = tables.load(t);
    if (table.currentSnapshot() == null) {
      throw PlatformException.notFound("%s has no snapshot yet", t.qualified());
    }
    PartitionHistory.dayField(t.qualified(), table, table.spec());
    List<PartitionEvent> events = new ArrayList<>();
    for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      Optional<PartitionEvent> e = PartitionHistory.eventsOf(t.qualified(), table, s).stream()
          .filter(x -> day.equals(x.partition())).findFirst();
      if (e.isPresent()) {
        events.add(e.get());
        if (e.get().replacedPartition()) {
          break;
        }
      }
    }
    if (events.isEmpty()) {
      throw PlatformException.notFound("%s has no data in partition %s on main (main's history, as far as it is "
          + "kept, never wrote that day)", t.qualified(), day);
    }
    return events;
  }

  /** The commits on main that changed data, newest first, at most {@code limit}. */
  public List<PartitionEventGroup> table(String tableArgument, int limit) {
    TableName t = TableName.parse(LakeNames.procedure("lineage_table"), tableArgument);
    Table table = tables.load(t);
    List<PartitionEventGroup> out = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      List<PartitionEvent> events = table.spec().isPartitioned() && hasDay(t.qualified(), table)
          ? PartitionHistory.eventsOf(t.qualified(), table, s) : List.of();
      Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
      boolean data = !"0".equals(summary.getOrDefault("added-data-files", "0"))
          || !"0".equals(summary.getOrDefault("deleted-data-files", "0"));
      if (!data) {
        continue;
      }
      PartitionEvent.Writer writer = PartitionEvent.writerOf(s.operation(), summary);
      // A run's tag marks its audit stamp, the commit after its data: name it on the data commit.
      String tag = writer == PartitionEvent.Writer.RUN && table.refs().containsKey(LakeNames.RUN_TAG_PREFIX + summary.get(Lineage.RUN_ID))
          ? LakeNames.RUN_TAG_PREFIX + summary.get(Lineage.RUN_ID) : tagsOf(table, s.snapshotId());
      out.add(new PartitionEventGroup(t.qualified(), s, writer,
          events.stream().map(e -> e.partition().toString()).collect(Collectors.joining(", ")), tag));
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  private static boolean hasDay(String name, Table table) {
    try {
      PartitionHistory.dayField(name, table, table.spec());
      return true;
    } catch (PlatformException notByDay) {
      return false;
    }
  }

  /** Everything about one snapshot: its commit, the partitions it touched, its refs, and the run behind it. */
  public List<LineageRow> snapshot(String tableArgument, long snapshotId) {
    TableName t = TableName.parse(LakeNames.procedure("lineage_snapshot"), tableArgument);
    Table table = tables.load(t);
    TimeTravel.checkVersion(t.qualified(), table, String.valueOf(snapshotId));
    Snapshot s = table.snapshot(snapshotId);
    List<LineageRow> rows = new ArrayList<>();
    rows.add(LineageRow.of("snapshot", "table", t.qualified()));
    rows.add(LineageRow.of("snapshot", "snapshot_id", s.snapshotId()));
    rows.add(LineageRow.of("snapshot", "parent_id", s.parentId()));
    rows.add(LineageRow.of("snapshot", "committed_at", Instant.ofEpochMilli(s.timestampMillis())));
    rows.add(LineageRow.of("snapshot", "operation", s.operation()));
    Snapshot head = table.currentSnapshot();
    rows.add(LineageRow.of("snapshot", "on_main", head != null && SnapshotUtil.isAncestorOf(table, head.snapshotId(), snapshotId)));
    rows.add(LineageRow.of("snapshot", "refs", refsOf(table, snapshotId)));
    Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
    PartitionEvent.Writer writer = PartitionEvent.writerOf(s.operation(), summary);
    rows.add(LineageRow.of("snapshot", "written_by", writer));
    new TreeMap<>(summary).forEach((k, v) -> rows.add(LineageRow.of("summary", k, v)));
    if (table.spec().isPartitioned() && hasDay(t.qualified(), table)) {
      for (PartitionEvent e : PartitionHistory.eventsOf(t.qualified(), table, s)) {
        rows.add(LineageRow.of("partition", String.valueOf(e.partition()), "added " + e.addedFiles() + " file(s), removed "
            + e.removedFiles() + (e.replacedPartition() ? " (replaced the partition)" : "")));
      }
    }
    if (summary.containsKey(Lineage.RUN_ID)) {
      long runId = Long.parseLong(summary.get(Lineage.RUN_ID));
      if (runs.find(runId).isPresent()) {
        run(runId).forEach(rows::add);
      } else {
        rows.add(LineageRow.of("run", "run_id", runId + " (no record in this catalog database)"));
      }
    }
    return rows;
  }

  static String refsOf(Table table, long snapshotId) {
    return new TreeMap<>(table.refs()).entrySet().stream().filter(e -> e.getValue().snapshotId() == snapshotId)
        .map(e -> (e.getValue().isTag() ? "tag " : "branch ") + e.getKey()).collect(Collectors.joining(", "));
  }

  static String tagsOf(Table table, long snapshotId) {
    Map<String, SnapshotRef> refs = new LinkedHashMap<>(new TreeMap<>(table.refs()));
    return refs.entrySet().stream().filter(e -> e.getValue().isTag() && e.getValue().snapshotId() == snapshotId)
        .map(Map.Entry::getKey).collect(Collectors.joining(", "));
  }
}
