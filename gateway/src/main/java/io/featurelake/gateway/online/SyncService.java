package io.featurelake.gateway.online;

import io.featurelake.sqlcatalog.online.OnlineStatus;
import io.featurelake.sqlcatalog.online.SyncQueries;
import io.featurelake.sqlcatalog.process.Heartbeat;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.online.AbandonedSyncs;
import io.featurelake.sqlcatalog.online.OnlineSync;
import io.featurelake.sqlcatalog.online.OnlineSyncRepository;
import io.featurelake.sqlcatalog.online.SyncCursor;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online sync of feature views into Redis: from the view's cursor to the head of main, read the
 * changed rows (Iceberg changelog), reduce them to the latest row per entity, write them from the
 * executors through the guard, then retract what commits in the range removed from main (entities
 * whose removed row Redis may hold get main's latest row, or lose their key when they have none
 * left; see {@code online-retract.lua}), and only then move the cursor. A full sync (asked for, first one,
 * or the cursor's snapshot is gone) writes main's latest row of every entity through the same
 * guard, so it can never move a value backwards either.
 *
 * <p>A sync records its process (host, pid) and refreshes a heartbeat while the executors write;
 * the next sync of the view and {@link #status} first mark a RUNNING sync whose process is gone
 * as FAILED ("abandoned: ..."), see {@link AbandonedSyncs}.
 */
public final class SyncService {

  private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);

  public static final String INCREMENTAL = "INCREMENTAL";
  public static final String FULL = "FULL";
  public static final String FULL_FALLBACK = "FULL_FALLBACK";

  /** How often a running sync proves it is alive; well under featurelake.online.abandon-after-minutes (1 min or more). */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private final SparkSession spark;
  private final RedisSettings settings;
  private final OnlineSyncRepository syncs;
  private final FeatureViewCatalog views;
  private final FeatureTables tables;
  private final AbandonedSyncs abandoned;
  private final io.featurelake.gateway.alerts.AlertSender alerts;
  private final SyncQueries queries;

  public SyncService(SparkSession spark, Platform platform) {
    this(spark, platform, RedisSettings.fromConfig(platform.config()));
  }

  public SyncService(SparkSession spark, Platform platform, RedisSettings settings) {
    this.spark = spark;
    this.settings = settings;
    this.syncs = new OnlineSyncRepository(platform.catalogDatabase());
    this.views = new FeatureViewCatalog(platform.config().featuresDir(), platform.catalogDatabase());
    this.tables = new FeatureTables(spark);
    this.abandoned = AbandonedSyncs.forThisProcess(syncs, platform.config().onlineAbandonAfter());
    this.alerts = io.featurelake.gateway.alerts.AlertSender.of(platform);
    this.queries = new SyncQueries(platform.catalogDatabase(), tables.lakeTables());
  }

  public OnlineSyncRepository syncs() {
    return syncs;
  }

  public FeatureViewCatalog views() {
    return views;
  }

  public RedisSettings settings() {
    return settings;
  }

  /**
   * The checks a sync must pass before it starts, for a caller that returns before the work
   * starts: the view is defined and has a published main.
   */
  public void check(String viewName) {
    publishedTable(views.load(viewName));
  }

  /**
   * The rows a full sync of the view writes now (main's latest row per entity), without writing
   * them: the read side of a sync alone, for measuring it.
   */
  public Dataset<Row> fullSyncRows(String viewName) {
    FeatureViewDefinition view = views.load(viewName);
    Table table = publishedTable(view);
    return new OnlineRows(spark, view, table).latestAt(table, table.currentSnapshot().snapshotId(), null);
  }

  /** Syncs one view; {@code full} rewrites every entity (still guarded). */
  public SyncResult sync(String viewName, boolean full, String startedBy, Consumer<String> progress) {
    return sync(viewName, full, startedBy, progress, () -> false);
  }

  /**
   * As {@link #sync(String, boolean, String, Consumer)}; once {@code cancelled} says so (an
   * asynchronous job's cancel, which also cancels its Spark jobs) the sync ends FAILED before it
   * would move the cursor: what Redis acknowledged stays (guarded, so a re-run is idempotent).
   */
  public SyncResult sync(String viewName, boolean full, String startedBy, Consumer<String> progress,
      java.util.function.BooleanSupplier cancelled) {
    FeatureViewDefinition view = views.load(viewName);
    for (OnlineSync dead : resolveAbandoned(view.name())) {
      progress.accept(view.name() + ": sync " + dead.syncId() + " marked FAILED: " + dead.message());
    }
    Table table = publishedTable(view);
    Snapshot head = table.currentSnapshot();
    Optional<SyncCursor> cursor = syncs.cursor(view.name());

    String mode;
    String note;
    Long from = null;
    RedisLoss loss = new RedisLoss(spark, settings, view.name());
    Optional<String> lost;
    if (full) {
      mode = FULL;
      note = "full sync requested";
    } else if (cursor.isEmpty()) {
      mode = FULL;
      note = "first sync of " + view.name() + ": full";
    } else if (table.snapshot(cursor.get().snapshotId()) == null) {
      mode = FULL_FALLBACK;
      note = "cursor snapshot " + cursor.get().snapshotId() + " no longer exists (expired by maintenance): "
          + "fell back to a full guarded sync";
    } else if (!SnapshotUtil.isAncestorOf(table, head.snapshotId(), cursor.get().snapshotId())) {
      mode = FULL_FALLBACK;
      note = "cursor snapshot " + cursor.get().snapshotId() + " is not an ancestor of main@" + head.snapshotId()
          + " (main was rolled back or replaced): fell back to a full guarded sync";
    } else if ((lost = loss.lostSince(table, cursor.get().snapshotId())).isPresent()) {
      mode = FULL_FALLBACK;
      note = lost.get();
    } else {
      mode = INCREMENTAL;
      from = cursor.get().snapshotId();
      note = from == head.snapshotId() ? "already at main@" + head.snapshotId() + ": nothing changed"
          : "changes after snapshot " + from + " up to main@" + head.snapshotId();
    }
    if (!mode.equals(INCREMENTAL)) {
      LOG.info("Online sync of {}: {}", view.name(), note);
    }
    progress.accept(view.name() + ": " + mode + " sync to main@" + head.snapshotId() + " (" + note + ")");

    long syncId = syncs.start(view.name(), mode, from, head.snapshotId(), startedBy, ProcessOwner.current());
    long t0 = System.nanoTime();
    LongAccumulator rowsRead = spark.sparkContext().longAccumulator("online-sync-rows-read");
    LongAccumulator sent = spark.sparkContext().longAccumulator("online-sync-keys-sent");
    LongAccumulator applied = spark.sparkContext().longAccumulator("online-sync-keys-applied");
    LongAccumulator retractSent = spark.sparkContext().longAccumulator("online-sync-retractions-sent");
    LongAccumulator retracted = spark.sparkContext().longAccumulator("online-sync-keys-retracted");
    LongAccumulator deleted = spark.sparkContext().longAccumulator("online-sync-keys-deleted");
    // Spark drops the accumulator updates of failed tasks, except for accumulators registered to
    // count them: this one is what Redis acknowledged, whatever happened to the task afterwards.
    LongAccumulator acknowledged = new LongAccumulator();
    acknowledged.register(spark.sparkContext(), scala.Option.apply("online-sync-keys-acknowledged"), true);
    SyncJobs jobs = SyncJobs.start(spark, syncId);
    try {
      // Fail fast, before any Spark job, when Redis is down or refuses the password.
      try (OnlineStore store = JedisOnlineStore.open(settings)) {
        store.ping();
      }
      if (from == null || from != head.snapshotId()) {
        OnlineRows rows = new OnlineRows(spark, view, table);
        GuardedPartitionWriter guarded = new GuardedPartitionWriter(settings, view.name(), view.entities().size(),
            rows.features(), view.onlineTtl().toMillis(), sent, applied, acknowledged);
        try (Heartbeat ignored = heartbeat(syncId)) {
          if (from == null) {
            rows.latestAt(table, head.snapshotId(), rowsRead).foreachPartition(guarded);
          } else {
            // Both passes read the same netted changelog: kept so that it is read (and counted) once.
            Dataset<Row> netted = rows.nettedChanges(table, from, head.snapshotId(), rowsRead)
                .persist(StorageLevel.MEMORY_AND_DISK());
            try {
              Dataset<Row> inserted = rows.insertedLatest(netted);
              // Entities whose key Redis does not hold (lost, or new) get main's latest row, which
              // may be newer than the range's; the others get the range's latest through the guard.
              Dataset<Row> absent = loss.absent(inserted, view.entities().size());
              if (absent == null) {
                inserted.foreachPartition(guarded);
              } else {
                rows.withoutEntities(inserted, absent).foreachPartition(guarded);
                rows.latestOnMainOf(table, head.snapshotId(), absent, RedisLoss.oldestEvent(absent), rowsRead)
                    .foreachPartition(guarded);
              }
              // Rows removed from main: without this pass Redis would keep a removed latest row
              // (the guard refuses the older row that is main's latest now). See online-retract.lua.
              Dataset<Row> needed = new RetractionPrecheck(spark, settings).needed(view, rows, netted);
              if (needed != null) {
                rows.withReplacements(table, needed, head.snapshotId(), rowsRead).foreachPartition(
                    new RetractingPartitionWriter(settings, view.name(), view.entities().size(), rows.features(),
                        view.onlineTtl().toMillis(), retractSent, retracted, deleted, acknowledged));
              }
            } finally {
              netted.unpersist();
            }
          }
        }
      }
      if (cancelled.getAsBoolean()) {
        throw new java.util.concurrent.CancellationException("cancelled before the cursor moved");
      }
      loss.markSynced(head.snapshotId());
    } catch (Exception e) { // Spark's job failure is a checked SparkException, thrown through Java's API unchecked
      String why = RedisFailures.redisCause(e).map(Throwable::getMessage).orElse(ConciseErrors.message(e));
      String cursorText = cursor.map(c -> "stays at snapshot " + c.snapshotId()).orElse("was not created");
      // The job failed at its first failed task; the others are being killed and report their counts as they end.
      jobs.awaitTasksEnded();
      String message = "Online sync " + syncId + " of " + view.name() + " failed: " + why + "; the cursor " + cursorText
          + " (keys acknowledged before the failure: " + acknowledged.value()
          + "); re-run sync_online once the cause is fixed";
      try {
        // keys_written of a failed sync is what Redis acknowledged; the other counts are of finished tasks only.
        syncs.fail(syncId, new OnlineSyncRepository.Counts(rowsRead.value(), acknowledged.value(), acknowledged.value(),
            applied.value(), Math.max(0, sent.value() - applied.value()), retracted.value(), deleted.value()), message);
      } catch (RuntimeException recordFailure) {
        LOG.error("Could not record the failure of sync {}", syncId, recordFailure);
      }
      if (!cancelled.getAsBoolean()) {
        alertSyncFailed(view.name(), view.owner(), syncId, message);
      }
      throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, message, e);
    } finally {
      jobs.close();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    OnlineSyncRepository.Counts counts = new OnlineSyncRepository.Counts(rowsRead.value(), sent.value(), sent.value(),
        applied.value(), sent.value() - applied.value(), retracted.value(), deleted.value());
    SyncCursor moved = new SyncCursor(view.name(), FeatureTables.tableName(view.name()), head.snapshotId(),
        head.sequenceNumber(), OffsetDateTime.ofInstant(Instant.ofEpochMilli(head.timestampMillis()), ZoneOffset.UTC),
        syncId, null);
    OnlineSync done;
    try {
      done = syncs.succeed(syncId, counts, moved, retractionNote(note, counts));
    } catch (IllegalStateException noLongerRunning) {
      // Marked abandoned by another process while this one was silent (a long pause): the writes
      // went through the guard, but the cursor must not move on behalf of a sync recorded FAILED.
      String why = syncs.find(syncId).map(OnlineSync::message).orElse(noLongerRunning.getMessage());
      throw PlatformException.invalidState("Online sync %d of %s was marked FAILED while it ran (%s); the cursor stays "
          + "at %s; re-run sync_online", syncId, view.name(), why,
          cursor.map(c -> "snapshot " + c.snapshotId()).orElse("none"));
    }
    return new SyncResult(done.syncId(), view.name(), mode, from, head.snapshotId(), counts.rowsRead(), counts.keysWritten(),
        counts.keysApplied(), counts.keysKeptNewer(), counts.keysRetracted(), counts.keysDeleted(), seconds,
        done.message());
  }

  /** The sync's message, with what the retraction pass did when it did anything. */
  private static String retractionNote(String note, OnlineSyncRepository.Counts counts) {
    if (counts.keysRetracted() == 0 && counts.keysDeleted() == 0) {
      return note;
    }
    return note + "; rows removed from main: " + counts.keysRetracted() + " keys given main's latest row, "
        + counts.keysDeleted() + " deleted (no row left)";
  }

  /**
   * Marks the RUNNING syncs of a view ({@code null}: of every view) whose process is gone as
   * FAILED ("abandoned: ..."); returns them. The cursor is not touched.
   */
  public List<OnlineSync> resolveAbandoned(String viewOrNull) {
    List<OnlineSync> marked = abandoned.resolve(viewOrNull);
    marked.forEach(s -> LOG.warn("Online sync {} of {} marked FAILED: {}", s.syncId(), s.featureView(), s.message()));
    marked.forEach(s -> alertSyncFailed(s.featureView(), null, s.syncId(), "Online sync " + s.syncId() + " of "
        + s.featureView() + " marked FAILED: " + s.message()));
    return marked;
  }

  /** A SYNC_FAILED alert (failed or abandoned sync) naming the view's owner; never fails the caller. */
  private void alertSyncFailed(String viewName, String ownerOrNull, long syncId, String message) {
    String owner = ownerOrNull;
    if (owner == null) {
      try {
        owner = views.load(viewName).owner();
      } catch (RuntimeException gone) {
        owner = null; // the definition was removed: the alert still names the view
      }
    }
    alerts.raiseQuietly(null, viewName, owner, "SYNC_FAILED", message,
        java.util.Map.of("sync_id", syncId));
  }

  /** Refreshes the sync's heartbeat from the driver while the executors write. */
  private Heartbeat heartbeat(long syncId) {
    return Heartbeat.start("featurelake-sync-heartbeat-" + syncId, HEARTBEAT_INTERVAL, () -> syncs.heartbeat(syncId));
  }

  /** The view's table with a published main; a clear INVALID_STATE otherwise. */
  Table publishedTable(FeatureViewDefinition view) {
    if (!tables.exists(view.name())) {
      throw PlatformException.invalidState("Feature view %s has never been published: %s does not exist; publish a "
          + "backfill first (./run_backfill.sh or CALL lake.platform.start_backfill(...))", view.name(),
          FeatureTables.tableName(view.name()));
    }
    Table table = tables.load(view.name());
    Snapshot head = table.currentSnapshot();
    if (head == null || "0".equals(head.summary().getOrDefault("total-records", "0"))
        && head.summary().get("featurelake.run-id") == null) {
      throw PlatformException.invalidState("Feature view %s has never been published: main of %s has no rows; publish "
          + "a backfill first (./run_backfill.sh or CALL lake.platform.start_backfill(...))", view.name(),
          FeatureTables.tableName(view.name()));
    }
    return table;
  }

  /**
   * Status of one view, or of every defined or synced view when {@code viewOrNull} is null: first
   * marks abandoned syncs (this job's rule), then reads the lag through the core's {@link SyncQueries}.
   */
  public List<OnlineStatus> status(String viewOrNull) {
    TreeSet<String> names = new TreeSet<>();
    if (viewOrNull != null) {
      names.add(views.load(viewOrNull).name());
      resolveAbandoned(viewOrNull);
    } else {
      resolveAbandoned(null);
      names.addAll(views.names());
      syncs.cursors().forEach(c -> names.add(c.featureView()));
    }
    return queries.statusOf(names);
  }


}
