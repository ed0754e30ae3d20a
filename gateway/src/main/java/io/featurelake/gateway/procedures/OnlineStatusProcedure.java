package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.online.OnlineStatus;
import io.featurelake.gateway.online.SyncService;
import io.featurelake.gateway.session.Platform;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.online_status([feature_view => 'v'])}: cursor, main head, lag, last sync. */
public final class OnlineStatusProcedure extends PlatformProcedure {

  public static final String NAME = "online_status";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null,
      "Only this view (default: every defined or synced view)");

  static final StructType OUTPUT = new StructType()
      .add("feature_view", DataTypes.StringType, false)
      .add("cursor_snapshot_id", DataTypes.LongType, true)
      .add("cursor_snapshot_at", DataTypes.StringType, true)
      .add("main_snapshot_id", DataTypes.LongType, true)
      .add("main_snapshot_at", DataTypes.StringType, true)
      .add("lag_snapshots", DataTypes.LongType, true)
      .add("lag_seconds", DataTypes.LongType, true)
      .add("last_sync_id", DataTypes.LongType, true)
      .add("last_sync_mode", DataTypes.StringType, true)
      .add("last_sync_status", DataTypes.StringType, true)
      .add("last_rows_read", DataTypes.LongType, true)
      .add("last_keys_written", DataTypes.LongType, true)
      .add("last_keys_applied", DataTypes.LongType, true)
      .add("last_duration_ms", DataTypes.LongType, true)
      .add("last_sync_at", DataTypes.StringType, true)
      .add("last_message", DataTypes.StringType, true)
      .add("last_sync_owner", DataTypes.StringType, true);

  public OnlineStatusProcedure() {
    super(NAME, List.of(FEATURE_VIEW), OUTPUT, "Online sync status per feature view");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    List<Object[]> rows = new ArrayList<>();
    for (OnlineStatus s : new SyncService(SparkSession.active(), Platform.current()).status(args.string(FEATURE_VIEW))) {
      rows.add(new Object[] {s.featureView(), s.cursorSnapshotId(), text(s.cursorSnapshotAt()), s.mainSnapshotId(),
          text(s.mainSnapshotAt()), s.lagSnapshots(), s.lagSeconds(), s.lastSyncId(), s.lastSyncMode(), s.lastSyncStatus(),
          s.lastRowsRead(), s.lastKeysWritten(), s.lastKeysApplied(), s.lastDurationMs(), text(s.lastSyncAt()),
          s.lastMessage(), s.lastSyncOwner()});
    }
    return rows;
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }
}
