package io.featurelake.gateway.procedures;

import java.util.List;

/** {@code CALL lake.platform.lineage_snapshot(table => 'features.v', snapshot_id => 123)}: what made a snapshot. */
public final class LineageSnapshotProcedure extends TypedProcedure<LineageRows.Row> {

  public static final String NAME = "lineage_snapshot";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table", "'namespace.table' or 'lake.namespace.table'");
  static final ProcedureParam SNAPSHOT_ID = ProcedureParam.requiredLong("snapshot_id", "A snapshot of the table");

  private final ProcedureServices services;

  public LineageSnapshotProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE, SNAPSHOT_ID), LineageRows.SCHEMA,
        "A snapshot's commit, summary, partitions, refs and the run behind it");
    this.services = services;
  }

  @Override
  protected List<LineageRows.Row> rows(ProcedureArgs args) {
    return LineageRows.rows(services.lineage().snapshot(args.nonBlankString(TABLE), args.longValue(SNAPSHOT_ID)));
  }
}
