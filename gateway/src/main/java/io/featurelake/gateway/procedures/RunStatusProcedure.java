package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.runs.RunProgress;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code CALL lake.platform.run_status(run_id => 42)}: where a run stands: state, what it is
 * doing now (its queue place while PENDING, the Spark stage progress while it writes or audits),
 * for how long, and whether this gateway works on it.
 */
public final class RunStatusProcedure extends TypedProcedure<RunStatusProcedure.Row> {

  public static final String NAME = "run_status";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to show");

  /** One row: the output columns, declared once. */
  public record Row(long runId, String featureView, String window, String state, String step, long elapsedSeconds,
      Integer queuedAhead, boolean runningHere, OffsetDateTime stepAt, OffsetDateTime heartbeatAt, String message) {}

  private final ProcedureServices services;

  public RunStatusProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RowSchema.of(Row.class), "State, current step, progress and elapsed time of a run");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    long runId = args.longValue(RUN_ID);
    RunProgress p = services.core().runs().progress(runId);
    return List.of(new Row(p.runId(), p.featureView(), p.window(), p.state().name(), p.step(), p.elapsed().toSeconds(),
        services.runs().queuePosition(runId).orElse(null), services.runs().isRunningHere(runId),
        p.progressAt(), p.heartbeatAt(), p.message()));
  }
}
