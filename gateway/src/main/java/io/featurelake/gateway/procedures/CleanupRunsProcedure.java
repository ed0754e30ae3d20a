package io.featurelake.gateway.procedures;

import java.util.ArrayList;
import java.util.List;

/** {@code CALL lake.platform.cleanup_runs([feature_view => 'v'])}: resolve runs whose process died. */
public final class CleanupRunsProcedure extends TypedProcedure<RunRows.Row> {

  public static final String NAME = "cleanup_runs";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only runs of this view");

  private final ProcedureServices services;

  public CleanupRunsProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW), RunRows.SCHEMA,
        "Mark runs of dead or silent processes FAILED, remove their branches (DROPPED)");
    this.services = services;
  }

  @Override
  protected List<RunRows.Row> rows(ProcedureArgs args) {
    List<RunRows.Row> rows = new ArrayList<>();
    services.backfills().cleanupAbandoned(args.string(FEATURE_VIEW)).forEach(r -> rows.add(RunRows.row(r)));
    return rows;
  }
}
