package io.featurelake.gateway.procedures;

import io.featurelake.gateway.online.SyncResult;
import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.session.Platform;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.sync_online(feature_view => 'v' [, full => false])}: brings Redis up
 * to the head of main for one view (changelog since the cursor, or everything when full).
 */
public final class SyncOnlineProcedure extends PlatformProcedure {

  public static final String NAME = "sync_online";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam FULL = ProcedureParam.optionalBoolean("full", false,
      "Write every entity's latest row (still guarded) instead of the changes since the cursor");

  static final StructType OUTPUT = new StructType()
      .add("sync_id", DataTypes.LongType, false)
      .add("feature_view", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, false)
      .add("from_snapshot_id", DataTypes.LongType, true)
      .add("to_snapshot_id", DataTypes.LongType, false)
      .add("rows_read", DataTypes.LongType, false)
      .add("keys_written", DataTypes.LongType, false)
      .add("keys_applied", DataTypes.LongType, false)
      .add("keys_kept_newer", DataTypes.LongType, false)
      .add("keys_retracted", DataTypes.LongType, false)
      .add("keys_deleted", DataTypes.LongType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("message", DataTypes.StringType, false);

  private final ProcedureServices services;

  public SyncOnlineProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, FULL), OUTPUT, "Sync a feature view's latest values per entity into Redis");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    SyncResult r = services.syncs()
        .sync(args.nonBlankString(FEATURE_VIEW), args.booleanValue(FULL), services.user(),
            line -> services.progress(0, line));
    return List.<Object[]>of(new Object[] {r.syncId(), r.featureView(), r.mode(), r.fromSnapshotId(), r.toSnapshotId(),
        r.rowsRead(), r.keysWritten(), r.keysApplied(), r.keysKeptNewer(), r.keysRetracted(), r.keysDeleted(),
        r.seconds(), r.message()});
  }
}
