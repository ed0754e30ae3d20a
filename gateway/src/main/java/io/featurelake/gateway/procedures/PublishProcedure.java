package io.featurelake.gateway.procedures;

import java.util.List;

/** {@code CALL lake.platform.publish(run_id => 42)}: publish a PASSED run. */
public final class PublishProcedure extends PlatformProcedure {

  public static final String NAME = "publish";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to publish (state PASSED)");

  private final ProcedureServices services;

  public PublishProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RunRows.OUTPUT, "Fast-forward main to a run's audited branch head, tag it, drop the branch");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    var run = services.backfills().publish(args.longValue(RUN_ID), services::progress);
    return List.<Object[]>of(RunRows.row(run));
  }
}
