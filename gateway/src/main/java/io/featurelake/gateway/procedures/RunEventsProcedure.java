package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.gateway.procedures.RowSchema.Required;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code CALL lake.platform.run_events(run_id => 42)}: every step of a run, to follow it live. */
public final class RunEventsProcedure extends TypedProcedure<RunEventsProcedure.Row> {

  public static final String NAME = "run_events";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to show");
  static final ProcedureParam OFFSET = ProcedureParam.optionalInt("offset", 0, "Skip this many events (0 or more)");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 10_000, "At most this many events (1 to 10000)");

  /** One event: the columns, declared once. */
  public record Row(@Required OffsetDateTime at, String fromState, @Required String toState, String message) {}

  private final ProcedureServices services;

  public RunEventsProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID, OFFSET, LIMIT), RowSchema.of(Row.class), "State changes and progress of a run");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    PageRequest page = PageRequest.of(args.procedure(), args.intValue(OFFSET), args.intValue(LIMIT));
    return services.core().runs().events(args.longValue(RUN_ID), page).items().stream()
        .map(RunEventsProcedure::row).toList();
  }

  private static Row row(RunEvent e) {
    return new Row(e.at(), e.fromState() == null ? null : e.fromState().name(), e.toState().name(), e.message());
  }
}
