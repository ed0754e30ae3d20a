package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.drop_run(run_id => 42)}: discards a run that will not be published (a
 * FAILED run whose branch is kept for inspection, or a PASSED run waiting for a publish): its
 * branch is removed, it ends DROPPED with "dropped by &lt;user&gt;"; main is untouched.
 */
public final class DropRunProcedure extends TypedProcedure<RunRows.Row> {

  public static final String NAME = "drop_run";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to drop (FAILED, or PASSED and not being published)");

  private final ProcedureServices services;

  public DropRunProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RunRows.SCHEMA, "Discard a failed or unpublished run: its branch is removed, main untouched");
    this.services = services;
  }

  @Override
  protected List<RunRows.Row> rows(ProcedureArgs args) {
    return List.of(RunRows.row(services.backfills().drop(args.longValue(RUN_ID), services.user())));
  }
}
