package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.online.OnlineStatus;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code CALL lake.platform.online_status([feature_view => 'v'])}: cursor, main head, lag, last sync. */
public final class OnlineStatusProcedure extends TypedProcedure<OnlineStatusProcedure.Row> {

  public static final String NAME = "online_status";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null,
      "Only this view (default: every defined or synced view)");

  /** The columns, declared once. */
  public record Row(@Required String featureView, Long cursorSnapshotId, OffsetDateTime cursorSnapshotAt,
      Long mainSnapshotId, OffsetDateTime mainSnapshotAt, Long lagSnapshots, Long lagSeconds, Long lastSyncId,
      String lastSyncMode, String lastSyncStatus, Long lastRowsRead, Long lastKeysWritten, Long lastKeysApplied,
      Long lastDurationMs, OffsetDateTime lastSyncAt, String lastMessage, String lastSyncOwner) {}

  private final ProcedureServices services;

  public OnlineStatusProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW), RowSchema.of(Row.class), "Online sync status per feature view");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    return services.syncs().status(args.string(FEATURE_VIEW)).stream().map(OnlineStatusProcedure::row).toList();
  }

  private static Row row(OnlineStatus s) {
    return new Row(s.featureView(), s.cursorSnapshotId(), s.cursorSnapshotAt(), s.mainSnapshotId(), s.mainSnapshotAt(),
        s.lagSnapshots(), s.lagSeconds(), s.lastSyncId(), s.lastSyncMode(), s.lastSyncStatus(), s.lastRowsRead(),
        s.lastKeysWritten(), s.lastKeysApplied(), s.lastDurationMs(), s.lastSyncAt(), s.lastMessage(), s.lastSyncOwner());
  }
}
