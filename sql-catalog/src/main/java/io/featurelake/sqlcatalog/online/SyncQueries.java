package io.featurelake.sqlcatalog.online;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.FeatureViewRegistry;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.tables.LakeTables;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The online store's side of each feature view: syncs, cursors, and how far each cursor lags
 * behind main (from the table's Iceberg metadata). Reads only: marking abandoned syncs is the
 * sync job's business ({@link AbandonedSyncs}).
 */
public final class SyncQueries {

  private final OnlineSyncRepository syncs;
  private final FeatureViewRegistry registry;
  private final LakeTables tables;

  public SyncQueries(DataSource db, LakeTables tables) {
    this.syncs = new OnlineSyncRepository(db);
    this.registry = new FeatureViewRegistry(db);
    this.tables = tables;
  }

  /** Syncs, newest first; {@code featureView} null = of every view. */
  public Page<OnlineSync> syncs(String featureView, PageRequest page) {
    return syncs.page(featureView, page);
  }

  /** One sync; NOT_FOUND when there is none of that id. */
  public OnlineSync sync(long syncId) {
    return syncs.find(syncId).orElseThrow(() -> PlatformException.notFound("Unknown online sync %d", syncId));
  }

  public List<SyncCursor> cursors() {
    return syncs.cursors();
  }

  /**
   * Status and lag of one view, or of every registered or synced view when {@code viewOrNull} is
   * null. NOT_FOUND for a view neither registered nor ever synced.
   */
  public List<OnlineStatus> status(String viewOrNull) {
    TreeSet<String> names = new TreeSet<>();
    if (viewOrNull != null) {
      if (registry.find(viewOrNull).isEmpty() && syncs.cursor(viewOrNull).isEmpty()) {
        throw PlatformException.notFound("Unknown feature view '%s'", viewOrNull);
      }
      names.add(viewOrNull);
    } else {
      registry.list().stream().map(v -> v.definition().name()).forEach(names::add);
      syncs.cursors().forEach(c -> names.add(c.featureView()));
    }
    return statusOf(names);
  }

  /** Status and lag of exactly these views, by name. */
  public List<OnlineStatus> statusOf(Collection<String> views) {
    List<OnlineStatus> out = new ArrayList<>();
    for (String name : new TreeSet<>(views)) {
      out.add(statusOf(name));
    }
    return out;
  }

  private OnlineStatus statusOf(String name) {
    Optional<SyncCursor> cursor = syncs.cursor(name);
    Optional<OnlineSync> last = syncs.last(name);
    Long mainId = null;
    OffsetDateTime mainAt = null;
    Long lagSnapshots = null;
    Long lagSeconds = null;
    if (tables.exists(LakeNames.featureTableName(name))) {
      Table table = tables.featureTable(name);
      Snapshot head = table.currentSnapshot();
      if (head != null) {
        mainId = head.snapshotId();
        mainAt = OffsetDateTime.ofInstant(Instant.ofEpochMilli(head.timestampMillis()), ZoneOffset.UTC);
        if (cursor.isPresent()) {
          long c = cursor.get().snapshotId();
          if (table.snapshot(c) != null && SnapshotUtil.isAncestorOf(table, head.snapshotId(), c)) {
            long n = 0;
            for (Snapshot ignored : SnapshotUtil.ancestorsBetween(table, head.snapshotId(), c)) {
              n++;
            }
            lagSnapshots = n;
          }
          lagSeconds = Math.max(0, (head.timestampMillis() - cursor.get().snapshotAt().toInstant().toEpochMilli()) / 1000);
        }
      }
    }
    return new OnlineStatus(name, cursor.map(SyncCursor::snapshotId).orElse(null),
        cursor.map(SyncCursor::snapshotAt).orElse(null), mainId, mainAt, lagSnapshots, lagSeconds,
        last.map(OnlineSync::syncId).orElse(null), last.map(OnlineSync::mode).orElse(null),
        last.map(OnlineSync::status).orElse(null), last.map(OnlineSync::rowsRead).orElse(null),
        last.map(OnlineSync::keysWritten).orElse(null), last.map(OnlineSync::keysApplied).orElse(null),
        last.map(OnlineSync::durationMs).orElse(null), last.map(OnlineSync::startedAt).orElse(null),
        last.map(OnlineSync::message).orElse(null), last.map(OnlineSync::owner).orElse(null));
  }
}
