package io.featurelake.gateway.maintenance;

import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.FeatureViewCatalog;
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
 * <p>This class orchestrates: which tables, the checks that refuse a request before anything
 * changes, one report per table, the failure report and alert. What a table needs is decided by
 * {@link MaintenancePlanner} (a {@link MaintenancePlan}, all a dry run reports) and carried out
 * by {@link MaintenanceExecution}.
 *
 * <p>Refuses, before changing anything, a table where expiring snapshots would drop a run tag or
 * a tag that keeps a training set's input ({@code training_*}).
 */
public final class MaintenanceService {

  /** Tag that pins the online sync's cursor snapshot of a table against expiry. */
  public static final String SYNC_CURSOR_TAG = LakeNames.SYNC_CURSOR_TAG;
  static final String RUN_TAG_PREFIX = LakeNames.RUN_TAG_PREFIX;

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);

  private final SparkSession spark;
  private final Platform platform;
  private final MaintenanceReportRepository reports;
  private final FeatureViewCatalog views;
  private final MaintenancePlanner planner;
  private final MaintenanceExecution execution;
  /** The compaction step (package-visible: a test seam to lose a commit race on purpose). */
  final Compaction compaction;

  public MaintenanceService(SparkSession spark, Platform platform, SyncCursorSource cursors) {
    this.spark = spark;
    this.platform = platform;
    this.reports = new MaintenanceReportRepository(platform.catalogDatabase());
    this.views = new FeatureViewCatalog(platform.config().featuresDir(), platform.catalogDatabase());
    this.planner = new MaintenancePlanner(new RunRepository(platform.catalogDatabase()));
    this.compaction = new Compaction(spark);
    this.execution = new MaintenanceExecution(spark, cursors, views, compaction);
  }

  public MaintenanceReportRepository reports() {
    return reports;
  }

  /**
   * The checks a request must pass before anything changes, for a caller that returns before the
   * work starts: the tables exist, and expiry would drop no run or training-set tag.
   */
  public void check(MaintenanceRequest request) {
    for (TableIdentifier id : resolve(request.table())) {
      checkRunTagsSurvive(catalog().loadTable(id), name(id));
    }
  }

  /** Maintains every table the request names; stores and returns one report per table. */
  public List<MaintenanceReport> run(MaintenanceRequest request) {
    return run(request, MaintenanceProgress.NONE);
  }

  /**
   * As {@link #run(MaintenanceRequest)}, telling {@code progress} each step and stopping between
   * steps once it is cancelled (the report of the table being maintained then says so).
   */
  public List<MaintenanceReport> run(MaintenanceRequest request, MaintenanceProgress progress) {
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
        MaintenancePlan plan = planner.plan(tableName, e.getValue(), request, System.currentTimeMillis());
        out.add(reports.save(request.dryRun() ? execution.dryRun(plan, e.getValue(), progress)
            : execution.execute(plan, e.getValue(), progress)));
      } catch (RuntimeException failure) {
        // One line for the caller, a stored report for the record; the trace goes to the log once.
        boolean cancelled = progress.cancelled().getAsBoolean();
        String why = cancelled ? "cancelled (" + Compaction.describe(failure) + "); the steps before it are committed"
            : Compaction.describe(failure);
        if (cancelled) {
          LOG.warn("Maintenance of {} {}", tableName, why);
        } else {
          LOG.error("Maintenance of {} failed: {}", tableName, why, failure);
        }
        e.getValue().refresh();
        Stats after = Stats.of(e.getValue());
        MaintenanceReport failed = reports.save(new MaintenanceReport(0, tableName, request.dryRun(), before.dataFiles(),
            after.dataFiles(), before.dataBytes(), after.dataBytes(), before.manifests(), after.manifests(),
            before.snapshots(), after.snapshots(), Math.max(0, before.snapshots() - after.snapshots()), 0, 0, List.of(), 0, 0,
            (System.nanoTime() - t0) / 1_000_000, startedAt, "FAILED: " + why));
        String done = out.isEmpty() ? "" : "; maintained before it: "
            + String.join(", ", out.stream().map(MaintenanceReport::tableName).toList());
        if (!cancelled) {
          alertMaintenanceFailed(e.getKey(), failure);
        }
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
        owner = views.load(view).owner();
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

  private Catalog catalog() {
    return new FeatureTables(spark).iceberg();
  }

  static String name(TableIdentifier id) {
    return LakeCatalog.NAME + "." + id;
  }
}
