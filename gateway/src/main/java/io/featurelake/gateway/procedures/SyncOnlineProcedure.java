package io.featurelake.gateway.procedures;

import io.featurelake.gateway.online.SyncResult;
import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.runs.JobExecutor;
import io.featurelake.sqlcatalog.jobs.JobKind;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import java.util.List;

/**
 * {@code CALL lake.platform.sync_online(feature_view => 'v' [, full => false] [, wait => true])}:
 * brings Redis up to the head of main for one view (changelog since the cursor, or everything
 * when full). With {@code wait => false} the call is checked, recorded as a PENDING job and
 * returned at once; the sync goes on in the gateway ({@code job_status}, {@code cancel_job}).
 */
public final class SyncOnlineProcedure extends TypedProcedure<SyncOnlineProcedure.Row> {

  public static final String NAME = "sync_online";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam FULL = ProcedureParam.optionalBoolean("full", false,
      "Write every entity's latest row (still guarded) instead of the changes since the cursor");
  static final ProcedureParam WAIT = ProcedureParam.optionalBoolean("wait", true,
      "true: return when the sync has ended; false: return its PENDING job at once, the sync goes on in the gateway");

  /**
   * One row: the sync's figures (NULL for a call that returned at once) and, for such a call,
   * the job that will do it.
   */
  public record Row(Long syncId, @Required String featureView, String mode, Long fromSnapshotId, Long toSnapshotId,
      Long rowsRead, Long keysWritten, Long keysApplied, Long keysKeptNewer, Long keysRetracted, Long keysDeleted,
      Double seconds, String message, Long jobId) {}

  private final ProcedureServices services;

  public SyncOnlineProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, FULL, WAIT), RowSchema.of(Row.class),
        "Sync a feature view's latest values per entity into Redis");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    String view = args.nonBlankString(FEATURE_VIEW);
    boolean full = args.booleanValue(FULL);
    SyncService syncs = services.syncs();
    if (!args.booleanValue(WAIT)) {
      syncs.check(view);
      String user = services.user();
      PlatformJob job = services.jobs().submit(JobKind.SYNC_ONLINE, view, "feature_view => '" + view + "', full => " + full,
          user, services.spark(), ctx -> {
            SyncResult r = syncs.sync(view, full, user, ctx::step, ctx::cancelled);
            return new JobExecutor.Outcome("sync " + r.syncId(), r.message());
          });
      return List.of(new Row(null, view, full ? SyncService.FULL : null, null, null, null, null, null, null, null, null,
          null, JobRows.queued(job), job.jobId()));
    }
    SyncResult r = syncs.sync(view, full, services.user(), line -> services.progress(0, line));
    return List.of(new Row(r.syncId(), r.featureView(), r.mode(), r.fromSnapshotId(), r.toSnapshotId(), r.rowsRead(),
        r.keysWritten(), r.keysApplied(), r.keysKeptNewer(), r.keysRetracted(), r.keysDeleted(), r.seconds(), r.message(),
        null));
  }
}
