package io.featurelake.gateway.maintenance;

import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link MaintenancePlan} on one table, step by step, each step one atomic
 * Iceberg commit (or none): remove the stale audit branches and tag the sync cursor; compact
 * main and rewrite its manifests; expire snapshots; remove orphan files. A dry run does only the
 * orphan scan (files are listed, none deleted). Before each step the caller's
 * {@link MaintenanceProgress} hears of it and may stop the execution there.
 */
final class MaintenanceExecution {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceExecution.class);
  private static final String RUN_TAG_PREFIX = LakeNames.RUN_TAG_PREFIX;
  private static final String AUDIT_BRANCH_PREFIX = LakeNames.AUDIT_BRANCH_PREFIX;

  private final SparkSession spark;
  private final SyncCursorSource cursors;
  private final FeatureViewCatalog views;
  private final Compaction compaction;

  MaintenanceExecution(SparkSession spark, SyncCursorSource cursors, FeatureViewCatalog views, Compaction compaction) {
    this.spark = spark;
    this.cursors = cursors;
    this.views = views;
    this.compaction = compaction;
  }

  /** The dry run: the plan, plus the orphan files found (none deleted). */
  MaintenanceReport dryRun(MaintenancePlan plan, Table table, MaintenanceProgress progress) {
    OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    progress.starting(plan.tableName() + ": looking for orphan files (dry run)");
    Orphans orphans = orphans(table, plan, true);
    Stats before = plan.before();
    long filesAfter = before.dataFiles() - plan.compaction().filesToRewrite() + plan.compaction().expectedOutputFiles();
    List<String> notes = new ArrayList<>(List.of(plan.compactionNote()));
    notes.addAll(plan.inFlightNotes());
    return report(plan, table, startedAt, t0, filesAfter, before.dataBytes(), before.manifests(),
        before.snapshots() - plan.snapshotsToExpire(), plan.snapshotsToExpire(), orphans,
        plan.compaction().filesToRewrite(), plan.compaction().expectedOutputFiles(), notes);
  }

  /** Every step for real; returns the report of what was done. */
  MaintenanceReport execute(MaintenancePlan plan, Table table, MaintenanceProgress progress) {
    OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    String name = plan.tableName();
    MaintenanceRequest request = plan.request();
    List<String> notes = new ArrayList<>();

    progress.starting(name + ": removing " + plan.staleAuditBranches().size() + " stale audit branch(es)");
    for (String b : plan.staleAuditBranches()) {
      table.manageSnapshots().removeBranch(b).commit();
    }
    protectSyncCursor(name, table, notes);
    table.refresh();

    long rewritten = 0;
    long added = 0;
    if (table.currentSnapshot() != null) {
      progress.starting(name + ": compacting data files (target " + FileSizes.format(request.targetFileSize()) + ")");
      Optional<SortOrder> sort = request.sortByEntity() ? entitySortOrder(table) : Optional.empty();
      if (request.sortByEntity() && sort.isEmpty()) {
        notes.add("no entity columns known for " + name + ": bin-packed instead of sorting");
      }
      RewriteDataFiles.Result r = compaction.run(name, table, request, sort, notes);
      rewritten = r == null ? 0 : r.rewrittenDataFilesCount();
      added = r == null ? 0 : r.addedDataFilesCount();
      if (r != null) {
        notes.add("compacted " + rewritten + " files into " + added + (sort.isPresent() ? " (sorted by entity)" : " (bin-pack)"));
      }
      progress.starting(name + ": rewriting manifests");
      if (table.currentSnapshot() != null) {
        SparkActions.get(spark).rewriteManifests(table).execute();
      }
      table.refresh();
    }
    notes.addAll(plan.inFlightNotes());

    progress.starting(name + ": expiring snapshots older than " + request.olderThanDays() + " day(s)");
    int snapshots = Stats.of(table).snapshots();
    SparkActions.get(spark).expireSnapshots(table).expireOlderThan(plan.expiryCutoff()).retainLast(request.retainLast())
        .execute();
    table.refresh();
    long expired = snapshots - Stats.of(table).snapshots();

    progress.starting(name + ": removing orphan files older than " + request.orphanAge().toHours() + " h");
    Orphans orphans = orphans(table, plan, false);
    table.refresh();
    Stats after = Stats.of(table);
    return report(plan, table, startedAt, t0, after.dataFiles(), after.dataBytes(), after.manifests(),
        after.snapshots(), expired, orphans, rewritten, added, notes);
  }

  private record Orphans(long count, long bytes) {}

  /** Files in the table's location that no metadata references, older than the safety age; deleted unless {@code dry}. */
  private Orphans orphans(Table table, MaintenancePlan plan, boolean dry) {
    AtomicLong bytes = new AtomicLong();
    DeleteOrphanFiles.Result found = SparkActions.get(spark).deleteOrphanFiles(table)
        .olderThan(plan.now() - plan.request().orphanAge().toMillis())
        .deleteWith(path -> {
          bytes.addAndGet(sizeOf(table, path));
          if (!dry) {
            table.io().deleteFile(path);
          }
        })
        .execute();
    long count = 0;
    for (String ignored : found.orphanFileLocations()) {
      count++;
    }
    return new Orphans(count, bytes.get());
  }

  private MaintenanceReport report(MaintenancePlan plan, Table table, OffsetDateTime startedAt, long t0, long filesAfter,
      long bytesAfter, long manifestsAfter, long snapshotsAfter, long expired, Orphans orphans,
      long rewritten, long added, List<String> notes) {
    MaintenanceRequest request = plan.request();
    boolean dry = request.dryRun();
    List<String> branches = plan.staleAuditBranches();
    String message = (dry ? "dry run: nothing changed; " : "") + String.join("; ", notes)
        + "; " + (dry ? "would expire " : "expired ") + expired + " snapshot(s) older than " + request.olderThanDays()
        + " day(s) beyond the last " + request.retainLast() + " (kept: " + keptRefs(table) + ")"
        + "; " + orphans.count() + " orphan file(s) " + (dry ? "found" : "removed") + " older than "
        + request.orphanAge().toHours() + " h"
        + "; audit branches " + (dry ? "to remove: " : "removed: ") + (branches.isEmpty() ? "none" : String.join(", ", branches));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("maintenance of {}: {}", plan.tableName(), message);
    Stats before = plan.before();
    return new MaintenanceReport(0, plan.tableName(), dry, before.dataFiles(), filesAfter, before.dataBytes(), bytesAfter,
        before.manifests(), manifestsAfter, before.snapshots(), snapshotsAfter, expired, orphans.count(), orphans.bytes(),
        branches, rewritten, added, ms, startedAt, message);
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
    SnapshotRef existing = table.refs().get(LakeNames.SYNC_CURSOR_TAG);
    if (existing == null) {
      table.manageSnapshots().createTag(LakeNames.SYNC_CURSOR_TAG, cursor).commit();
    } else if (existing.snapshotId() != cursor) {
      table.manageSnapshots().replaceTag(LakeNames.SYNC_CURSOR_TAG, cursor).commit();
    }
    notes.add("sync cursor " + cursor + " tagged " + LakeNames.SYNC_CURSOR_TAG);
  }

  private Optional<SortOrder> entitySortOrder(Table table) {
    String view = table.name().substring(table.name().lastIndexOf('.') + 1);
    try {
      List<String> entities = views.load(view).entities();
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
      } else if (ref.getKey().equals(LakeNames.SYNC_CURSOR_TAG)) {
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

}
