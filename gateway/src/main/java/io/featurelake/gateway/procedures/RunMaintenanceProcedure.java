package io.featurelake.gateway.procedures;

import io.featurelake.gateway.maintenance.MaintenanceProgress;
import io.featurelake.gateway.maintenance.MaintenanceRequest;
import io.featurelake.gateway.maintenance.MaintenanceService;
import io.featurelake.gateway.runs.JobExecutor;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.jobs.JobKind;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code CALL lake.platform.run_maintenance(table => 'all', older_than_days => 7, ... [, wait => true])}:
 * compaction, manifest rewrite, snapshot expiry that keeps every run tag, orphan and stale branch
 * removal. With {@code wait => false} the request is checked, recorded as a PENDING job and
 * returned at once; the work goes on in the gateway ({@code job_status}, {@code cancel_job}).
 */
public final class RunMaintenanceProcedure extends TypedProcedure<MaintenanceRows.CallRow> {

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
  static final ProcedureParam WAIT = ProcedureParam.optionalBoolean("wait", true,
      "true: return the reports when done; false: return its PENDING job at once, the work goes on in the gateway");

  private final ProcedureServices services;

  public RunMaintenanceProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE, OLDER_THAN_DAYS, RETAIN_LAST, TARGET_FILE_SIZE, DRY_RUN, SORT_BY_ENTITY, ORPHAN_AGE_HOURS, WAIT),
        MaintenanceRows.CALL_SCHEMA, "Compact, expire snapshots (run tags kept), remove orphans and stale audit branches");
    this.services = services;
  }

  @Override
  protected List<MaintenanceRows.CallRow> rows(ProcedureArgs args) {
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
    MaintenanceService maintenance = services.maintenance();
    if (args.booleanValue(WAIT)) {
      return maintenance.run(request).stream().map(MaintenanceRows::done).toList();
    }
    maintenance.check(request);
    String arguments = String.format(Locale.ROOT, "table => '%s', older_than_days => %d, retain_last => %d, "
        + "target_file_size => '%s', dry_run => %s, sort_by_entity => %s, orphan_age_hours => %d", request.table(),
        request.olderThanDays(), request.retainLast(), args.string(TARGET_FILE_SIZE), request.dryRun(),
        request.sortByEntity(), request.orphanAge().toHours());
    PlatformJob job = services.jobs().submit(JobKind.RUN_MAINTENANCE, request.table(), arguments, services.user(),
        services.spark(), ctx -> {
          List<MaintenanceReport> reports = maintenance.run(request, new MaintenanceProgress(ctx::step, ctx::cancelled));
          return new JobExecutor.Outcome("reports " + reports.stream().map(r -> String.valueOf(r.reportId()))
              .collect(Collectors.joining(", ")), reports.size() + " table(s) maintained"
              + (request.dryRun() ? " (dry run: nothing changed)" : "") + "; see maintenance_reports");
        });
    return List.of(MaintenanceRows.queued(request.table(), request.dryRun(), JobRows.queued(job), job.jobId()));
  }
}
