package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.maintenance.MaintenanceRequest;
import java.util.List;

/**
 * {@code CALL lake.platform.run_maintenance(table => 'all', older_than_days => 7, ...)}: compaction,
 * manifest rewrite, snapshot expiry that keeps every run tag, orphan and stale branch removal.
 */
public final class RunMaintenanceProcedure extends PlatformProcedure {

  public static final String NAME = "run_maintenance";

  static final ProcedureParam TABLE = ProcedureParam.optionalString("table", "all",
      "A table (item_popularity_daily, lake.raw.events) or 'all' (every table of lake.features)");
  static final ProcedureParam OLDER_THAN_DAYS = ProcedureParam.optionalInt("older_than_days", 7,
      "Expire snapshots and remove finished runs' audit branches older than this many days (0 or more)");
  static final ProcedureParam RETAIN_LAST = ProcedureParam.optionalInt("retain_last", MaintenanceRequest.DEFAULT_RETAIN_LAST,
      "Newest snapshots of each branch always kept (1 or more)");
  static final ProcedureParam TARGET_FILE_SIZE = ProcedureParam.optionalString("target_file_size", "128MB",
      "Compaction's target data file size: 128MB, 512KB or bytes (1KB or more)");
  static final ProcedureParam DRY_RUN = ProcedureParam.optionalBoolean("dry_run", false,
      "Report what would be done; change nothing");
  static final ProcedureParam SORT_BY_ENTITY = ProcedureParam.optionalBoolean("sort_by_entity", false,
      "Compaction sorts rows by the view's entity columns instead of bin-packing");
  static final ProcedureParam ORPHAN_AGE_HOURS = ProcedureParam.optionalInt("orphan_age_hours", 24,
      "Only files older than this are removed as orphans (24 or more)");

  public RunMaintenanceProcedure() {
    super(NAME, List.of(TABLE, OLDER_THAN_DAYS, RETAIN_LAST, TARGET_FILE_SIZE, DRY_RUN, SORT_BY_ENTITY, ORPHAN_AGE_HOURS),
        MaintenanceRows.OUTPUT, "Compact, expire snapshots (run tags kept), remove orphans and stale audit branches");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String table = args.nonBlankString(TABLE);
    MaintenanceRequest request;
    try {
      request = MaintenanceRequest.of(table, args.intValue(OLDER_THAN_DAYS),
          args.intValue(RETAIN_LAST), MaintenanceRequest.parseSize(TARGET_FILE_SIZE.name(), args.string(TARGET_FILE_SIZE)),
          args.booleanValue(SORT_BY_ENTITY), args.booleanValue(DRY_RUN), args.intValue(ORPHAN_AGE_HOURS));
    } catch (PlatformException e) {
      // Name the procedure, as every other argument error of the platform does.
      throw new PlatformException(e.code(), args.procedure() + ": " + e.getMessage());
    }
    return ProcedureContext.maintenance().run(request).stream().map(MaintenanceRows::row).toList();
  }
}
