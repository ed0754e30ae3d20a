package io.featurelake.gateway.procedures;

import java.util.ArrayList;
import java.util.List;

/** {@code CALL lake.platform.cleanup_runs([feature_view => 'v'])}: resolve runs whose process died. */
public final class CleanupRunsProcedure extends PlatformProcedure {

  public static final String NAME = "cleanup_runs";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only runs of this view");

  private final ProcedureServices services;

  public CleanupRunsProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW), RunRows.OUTPUT,
        "Mark runs of dead or silent processes FAILED, remove their branches (DROPPED)");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    List<Object[]> rows = new ArrayList<>();
    services.backfills().cleanupAbandoned(args.string(FEATURE_VIEW)).forEach(r -> rows.add(RunRows.row(r)));
    return rows;
  }
}
