package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.cancel_run(run_id => 42)}: stops a run this gateway works on (its
 * Spark jobs are cancelled), ends it FAILED then DROPPED with "cancelled by &lt;user&gt;"; main is
 * untouched. Returns the run as it stands once its work stopped (at most a minute later).
 */
public final class CancelRunProcedure extends TypedProcedure<RunRows.Row> {

  public static final String NAME = "cancel_run";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to cancel (PENDING, COMPUTING or AUDITING)");

  private final ProcedureServices services;

  public CancelRunProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RunRows.SCHEMA, "Cancel a running backfill: its Spark jobs stop, its branch is dropped");
    this.services = services;
  }

  @Override
  protected List<RunRows.Row> rows(ProcedureArgs args) {
    return List.of(RunRows.row(services.runs().cancel(args.longValue(RUN_ID), services.user())));
  }
}
