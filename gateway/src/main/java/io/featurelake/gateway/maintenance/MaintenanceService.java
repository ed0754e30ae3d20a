package io.featurelake.gateway.maintenance;

import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReportRepository;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunRepository;
import io.featurelake.sqlcatalog.runs.RunState;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance that never breaks history. Per table, in this order: resolve abandoned runs and
 * remove stale audit branches; tag each online-sync cursor; compact data files on main; rewrite
 * manifests; expire snapshots (refs keep theirs: run tags, branch heads, the sync cursor tag);
 * remove orphan files older than a safety age. One report per table is stored in the catalog DB.
 *
 * <p>Refuses, before changing anything, a table where expiring snapshots would drop a run tag or
 * a tag that keeps a training set's input ({@code training_*}).
 */
public final class MaintenanceService {

  /** Tag that pins the online sync's cursor snapshot of a table against expiry. */
  public static final String SYNC_CURSOR_TAG = LakeNames.SYNC_CURSOR_TAG;
  static final String RUN_TAG_PREFIX = LakeNames.RUN_TAG_PREFIX;
  static final String AUDIT_BRANCH_PREFIX = LakeNames.AUDIT_BRANCH_PREFIX;

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);
  private static final long DAY_MS = 24L * 3600 * 1000;

  private final SparkSession spark;
  private final Platform platform;
  private final SyncCursorSource cursors;
  private final MaintenanceReportRepository reports;
  private final RunRepository runs;
  final Compaction compaction;

  public MaintenanceService(SparkSession spark, Platform platform, SyncCursorSource cursors) {
    this.spark = spark;
    this.platform = platform;
    this.cursors = cursors;
    this.reports = new MaintenanceReportRepository(platform.catalogDatabase());
    this.runs = new RunRepository(platform.catalogDatabase());
    this.compaction = new Compaction(spark);
  }

  public MaintenanceReportRepository reports() {
    return reports;
  }

  /** Maintains every table the request names; stores and returns one report per table. */
  public List<MaintenanceReport> run(MaintenanceRequest request) {
    List<TableIdentifier> ids = resolve(request.table());
    Map<TableIdentifier, Table> tables = new java.util.LinkedHashMap<>();
    for (TableIdentifier id : ids) {
      Table table = catalog().loadTable(id);
      // Checked for every table before touching any, so a refused request changes nothing.
      checkRunTagsSurvive(table, name(id));
      tables.put(id, table);
    }
    if (!request.dryRun()) {
      // Abandoned runs first: their branches then count as stale, not in-flight.
      boolean oneView = ids.size() == 1 && ids.get(0).namespace().equals(Namespace.of(FeatureTables.NAMESPACE));
      new BackfillService(spark, platform).cleanupAbandoned(oneView ? ids.get(0).name() : null);
    }
    List<MaintenanceReport> out = new ArrayList<>();
    for (Map.Entry<TableIdentifier, Table> e : tables.entrySet()) {
      String tableName = name(e.getKey());
      OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
      long t0 = System.nanoTime();
      Stats before = Stats.of(e.getValue());
      try {
        out.add(reports.save(maintain(tableName, e.getValue(), request)));
      } catch (RuntimeException failure) {
        // One line for the caller, a stored report for the record; the trace goes to the log once.
        String why = Compaction.describe(failure);
        LOG.error("Maintenance of {} failed: {}", tableName, why, failure);
        e.getValue().refresh();
        Stats after = Stats.of(e.getValue());
        MaintenanceReport failed = reports.save(new MaintenanceReport(0, tableName, request.dryRun(), before.dataFiles(),
            after.dataFiles(), before.dataBytes(), after.dataBytes(), before.manifests(), after.manifests(),
            before.snapshots(), after.snapshots(), Math.max(0, before.snapshots() - after.snapshots()), 0, 0, List.of(), 0, 0,
            (System.nanoTime() - t0) / 1_000_000, startedAt, "FAILED: " + why));
        String done = out.isEmpty() ? "" : "; maintained before it: "
            + String.join(", ", out.stream().map(MaintenanceReport::tableName).toList());
        alertMaintenanceFailed(e.getKey(), failure);
        throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Maintenance of " + tableName + " failed: " + why
            + " (report " + failed.reportId() + " stored" + done + "); re-run maintenance", failure);
      }
    }
    return out;
  }

  /** A MAINTENANCE_FAILED alert; for a feature table it names the view and its owner. */
  private void alertMaintenanceFailed(TableIdentifier id, RuntimeException failure) {
    String view = id.namespace().equals(Namespace.of(FeatureTables.NAMESPACE)) ? id.name() : null;
    String owner = null;
    if (view != null) {
      try {
        owner = new io.featurelake.gateway.lake.FeatureViewCatalog(platform.config().featuresDir(),
            platform.catalogDatabase()).load(view).owner();
      } catch (RuntimeException gone) {
        owner = null; // a feature table whose definition was removed
      }
    }
    io.featurelake.gateway.alerts.AlertSender.of(platform).raiseQuietly(null, view, owner, "MAINTENANCE_FAILED",
        "Maintenance of " + name(id) + " failed: " + io.featurelake.gateway.errors.ConciseErrors.message(failure),
        Map.of("table", name(id)));
  }

  /** {@code lake.<ns>.<table>} names accepted: 'all', 'v', 'features.v', 'lake.features.v'. */
  List<TableIdentifier> resolve(String table) {
    Catalog catalog = catalog();
    if (table.equalsIgnoreCase("all")) {
      return catalog.listTables(Namespace.of(FeatureTables.NAMESPACE)).stream()
          .sorted(java.util.Comparator.comparing(TableIdentifier::toString)).toList();
    }
    String[] parts = table.toLowerCase(Locale.ROOT).split("\\.");
    TableIdentifier id = switch (parts.length) {
      case 1 -> TableIdentifier.of(FeatureTables.NAMESPACE, parts[0]);
      case 2 -> TableIdentifier.of(parts[0], parts[1]);
      case 3 -> parts[0].equals(LakeCatalog.NAME) ? TableIdentifier.of(parts[1], parts[2]) : null;
      default -> null;
    };
    if (id == null || !catalog.tableExists(id)) {
      throw PlatformException.notFound("Unknown table %s: expected a table of the lake catalog (e.g. "
          + "item_popularity_daily, lake.features.item_popularity_daily, lake.raw.events) or 'all'",
          id == null ? table : name(id));
    }
    return List.of(id);
  }

  /**
   * Run tags are the published history: time travel, lineage and reproduce_run rely on them.
   * Iceberg's expiry drops a tag whose max ref age (its own, else the table's
   * history.expire.max-ref-age-ms) has passed, so any finite max ref age on a run tag is refused.
   */
  static void checkRunTagsSurvive(Table table, String tableName) {
    String tableDefault = table.properties().get(TableProperties.MAX_REF_AGE_MS);
    long defaultMaxRefAge = tableDefault == null ? Long.MAX_VALUE : Long.parseLong(tableDefault);
    for (Map.Entry<String, SnapshotRef> ref : new TreeMap<>(table.refs()).entrySet()) {
      boolean trainingTag = ref.getKey().startsWith(io.featurelake.gateway.training.TrainingSetService.TAG_PREFIX);
      if (!(ref.getKey().startsWith(RUN_TAG_PREFIX) || trainingTag) || !ref.getValue().isTag()) {
        continue;
      }
      Long own = ref.getValue().maxRefAgeMs();
      long maxRefAge = own != null ? own : defaultMaxRefAge;
      if (maxRefAge != Long.MAX_VALUE) {
        String source = own != null ? "its own RETAIN" : "table property " + TableProperties.MAX_REF_AGE_MS;
        throw PlatformException.invalidState("Refusing maintenance of %s: %s %s has a max ref age of %d ms (%s), "
            + "so expiring snapshots would drop it; run tags are kept forever: remove that retention first",
            tableName, trainingTag ? "training-set tag" : "run tag", ref.getKey(), maxRefAge, source);
      }
    }
  }

  private MaintenanceReport maintain(String tableName, Table table, MaintenanceRequest request) {
    OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    long now = System.currentTimeMillis();
    long cutoff = now - request.olderThanDays() * DAY_MS;
    table.refresh();
    Stats before = Stats.of(table);
    List<String> notes = new ArrayList<>();

    List<String> branches = staleAuditBranches(table, cutoff);
    if (!request.dryRun()) {
      for (String b : branches) {
        table.manageSnapshots().removeBranch(b).commit();
      }
      protectSyncCursor(tableName, table, notes);
      table.refresh();
    }

    long rewritten;
    long added;
    long filesAfterPlan;
    if (request.dryRun()) {
      CompactionPlan plan = CompactionPlan.of(table, request.targetFileSize());
      rewritten = plan.filesToRewrite();
      added = plan.expectedOutputFiles();
      filesAfterPlan = before.dataFiles() - rewritten + added;
      notes.add("would compact " + plan.partitions() + " partition(s): " + rewritten + " files -> about " + added);
    } else if (table.currentSnapshot() == null) {
      rewritten = 0;
      added = 0;
      filesAfterPlan = 0;
    } else {
      Optional<SortOrder> sort = request.sortByEntity() ? entitySortOrder(table) : Optional.empty();
      if (request.sortByEntity() && sort.isEmpty()) {
        notes.add("no entity columns known for " + tableName + ": bin-packed instead of sorting");
      }
      RewriteDataFiles.Result r = compaction.run(tableName, table, request, sort, notes);
      rewritten = r == null ? 0 : r.rewrittenDataFilesCount();
      added = r == null ? 0 : r.addedDataFilesCount();
      filesAfterPlan = -1;
      if (r != null) {
        notes.add("compacted " + rewritten + " files into " + added + (sort.isPresent() ? " (sorted by entity)" : " (bin-pack)"));
      }
      if (table.currentSnapshot() != null) {
        SparkActions.get(spark).rewriteManifests(table).execute();
      }
      table.refresh();
    }

    long expiryCutoff = inFlightCutoff(tableName, table, cutoff, notes);
    long expired;
    if (request.dryRun()) {
      expired = ExpiryPlan.wouldExpire(table, expiryCutoff, request.retainLast(), now).size();
    } else {
      int snapshots = Stats.of(table).snapshots();
      SparkActions.get(spark).expireSnapshots(table).expireOlderThan(expiryCutoff).retainLast(request.retainLast()).execute();
      table.refresh();
      expired = snapshots - Stats.of(table).snapshots();
    }

    AtomicLong orphanBytes = new AtomicLong();
    boolean dry = request.dryRun();
    DeleteOrphanFiles.Result orphans = SparkActions.get(spark).deleteOrphanFiles(table)
        .olderThan(now - request.orphanAge().toMillis())
        .deleteWith(path -> {
          orphanBytes.addAndGet(sizeOf(table, path));
          if (!dry) {
            table.io().deleteFile(path);
          }
        })
        .execute();
    long orphanCount = 0;
    for (String ignored : orphans.orphanFileLocations()) {
      orphanCount++;
    }
    table.refresh();
    Stats after = Stats.of(table);
    long manifestsAfter = dry ? before.manifests() : after.manifests();
    long filesAfter = dry ? filesAfterPlan : after.dataFiles();
    long snapshotsAfter = dry ? before.snapshots() - expired : after.snapshots();
    String message = (dry ? "dry run: nothing changed; " : "") + String.join("; ", notes)
        + "; " + (dry ? "would expire " : "expired ") + expired + " snapshot(s) older than " + request.olderThanDays()
        + " day(s) beyond the last " + request.retainLast() + " (kept: " + keptRefs(table) + ")"
        + "; " + orphanCount + " orphan file(s) " + (dry ? "found" : "removed") + " older than "
        + request.orphanAge().toHours() + " h"
        + "; audit branches " + (dry ? "to remove: " : "removed: ") + (branches.isEmpty() ? "none" : String.join(", ", branches));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("maintenance of {}: {}", tableName, message);
    return new MaintenanceReport(0, tableName, dry, before.dataFiles(), filesAfter, before.dataBytes(),
        dry ? before.dataBytes() : after.dataBytes(), before.manifests(), manifestsAfter, before.snapshots(),
        snapshotsAfter, expired, orphanCount, orphanBytes.get(), branches, rewritten, added, ms, startedAt, message);
  }

  /**
   * Audit branches that no live run needs: the run is finished (PUBLISHED, FAILED, DROPPED) or
   * unknown, and the branch head is older than the cutoff. Branches of in-flight runs are kept:
   * a run may be auditing or waiting to be published.
   */
  private List<String> staleAuditBranches(Table table, long cutoff) {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, SnapshotRef> ref : new TreeMap<>(table.refs()).entrySet()) {
      String name = ref.getKey();
      if (!ref.getValue().isBranch() || !name.startsWith(AUDIT_BRANCH_PREFIX)) {
        continue;
      }
      Optional<BackfillRun> run = Optional.empty();
      try {
        run = runs.find(Long.parseLong(name.substring(AUDIT_BRANCH_PREFIX.length())));
      } catch (NumberFormatException notARunBranch) {
        // audit_<something else>: no run owns it
      }
      // A failed audit's branch is kept until it expires (for inspection or an override publish).
      boolean inFlight = run.map(r -> r.state().isInFlight() || r.state() == RunState.FAILED && r.branchExpiresAt() != null
          && r.branchExpiresAt().isAfter(java.time.OffsetDateTime.now())).orElse(false);
      Snapshot head = table.snapshot(ref.getValue().snapshotId());
      if (!inFlight && head != null && head.timestampMillis() < cutoff) {
        stale.add(name);
      }
    }
    return stale;
  }

  /**
   * An in-flight run needs more than its branch head: publishing rebases its data commit (the
   * head's parent, an older snapshot of the branch) onto main and validates main's history since
   * the run's base snapshot. Expiring nothing newer than the oldest in-flight base keeps all of
   * those, on the branch and on main, without touching any ref's own retention.
   */
  private long inFlightCutoff(String tableName, Table table, long cutoff, List<String> notes) {
    long effective = cutoff;
    for (BackfillRun run : runs.inStates(EnumSet.of(RunState.PENDING, RunState.COMPUTING, RunState.AUDITING,
        RunState.PASSED))) {
      if (!run.tableName().equals(tableName) || run.baseSnapshotId() == null || !table.refs().containsKey(run.branch())) {
        continue;
      }
      Snapshot base = table.snapshot(run.baseSnapshotId());
      if (base != null && base.timestampMillis() < effective) {
        effective = base.timestampMillis();
        notes.add("expiry kept everything since the base of in-flight run " + run.runId() + " (snapshot "
            + base.snapshotId() + ")");
      }
    }
    return effective;
  }

  private void protectSyncCursor(String tableName, Table table, List<String> notes) {
    Long cursor = cursors.cursors().get(tableName);
    if (cursor == null) {
      return;
    }
    if (table.snapshot(cursor) == null) {
      notes.add("sync cursor snapshot " + cursor + " no longer exists: the next sync must reload fully");
      return;
    }
    SnapshotRef existing = table.refs().get(SYNC_CURSOR_TAG);
    if (existing == null) {
      table.manageSnapshots().createTag(SYNC_CURSOR_TAG, cursor).commit();
    } else if (existing.snapshotId() != cursor) {
      table.manageSnapshots().replaceTag(SYNC_CURSOR_TAG, cursor).commit();
    }
    notes.add("sync cursor " + cursor + " tagged " + SYNC_CURSOR_TAG);
  }

  private Optional<SortOrder> entitySortOrder(Table table) {
    String view = table.name().substring(table.name().lastIndexOf('.') + 1);
    try {
      List<String> entities = new io.featurelake.gateway.lake.FeatureViewCatalog(platform.config().featuresDir(),
          platform.catalogDatabase()).load(view).entities();
      SortOrder.Builder order = SortOrder.builderFor(table.schema());
      for (String e : entities) {
        order.asc(e);
      }
      return entities.isEmpty() ? Optional.empty() : Optional.of(order.build());
    } catch (RuntimeException notAView) {
      LOG.info("no feature view for {}: {}", table.name(), ConciseErrors.message(notAView));
      return Optional.empty();
    }
  }

  private static String keptRefs(Table table) {
    int runTags = 0;
    int branches = 0;
    boolean cursor = false;
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      if (ref.getValue().isTag() && ref.getKey().startsWith(RUN_TAG_PREFIX)) {
        runTags++;
      } else if (ref.getValue().isBranch() && ref.getKey().startsWith(AUDIT_BRANCH_PREFIX)) {
        branches++;
      } else if (ref.getKey().equals(SYNC_CURSOR_TAG)) {
        cursor = true;
      }
    }
    return runTags + " run tag(s), " + branches + " audit branch head(s)" + (cursor ? ", the sync cursor" : "");
  }

  private static long sizeOf(Table table, String path) {
    try {
      return table.io().newInputFile(path).getLength();
    } catch (RuntimeException gone) {
      return 0;
    }
  }

  private Catalog catalog() {
    return new FeatureTables(spark).iceberg();
  }

  static String name(TableIdentifier id) {
    return LakeCatalog.NAME + "." + id;
  }
}
