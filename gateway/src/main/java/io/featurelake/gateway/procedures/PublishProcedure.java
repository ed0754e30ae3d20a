package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.publish(run_id => 42)}: publish a PASSED run; with
 * {@code override_reason => '...'}, publish a run that FAILED its audit anyway (its kept branch),
 * recording the calling user and the reason.
 */
public final class PublishProcedure extends TypedProcedure<RunRows.Row> {

  public static final String NAME = "publish";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to publish (state PASSED)");
  static final ProcedureParam OVERRIDE_REASON = ProcedureParam.optionalString("override_reason", null,
      "Publish a run that FAILED its audit anyway (its branch must still be kept), for this reason; recorded with the "
          + "calling user on the run, its report, main's snapshot summary and the alert log");

  private final ProcedureServices services;

  public PublishProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID, OVERRIDE_REASON), RunRows.SCHEMA, "Fast-forward main to a run's audited branch head, tag it, drop the branch");
    this.services = services;
  }

  @Override
  protected List<RunRows.Row> rows(ProcedureArgs args) {
    var run = services.backfills().publish(args.longValue(RUN_ID), args.string(OVERRIDE_REASON), services.user(),
        services::progress);
    return List.of(RunRows.row(run));
  }
}
