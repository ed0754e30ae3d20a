package io.featurelake.gateway.procedures;

import java.util.List;

/** {@code CALL lake.platform.publish(run_id => 42)}: publish a PASSED run. */
public final class PublishProcedure extends PlatformProcedure {

  public static final String NAME = "publish";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to publish (state PASSED)");

  public PublishProcedure() {
    super(NAME, List.of(RUN_ID), RunRows.OUTPUT, "Fast-forward main to a run's audited branch head, tag it, drop the branch");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    var run = ProcedureContext.backfills().publish(args.longValue(RUN_ID), ProcedureContext::progress);
    return List.<Object[]>of(RunRows.row(run));
  }
}
