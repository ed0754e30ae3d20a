package io.featurelake.gateway.procedures;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import java.util.List;

/**
 * {@code CALL lake.platform.start_backfill(feature_view => 'v', start_date => '2023-01-01',
 * end_date => '2023-01-02' [, publish => true] [, wait => true])}: the whole Write-Audit-Publish
 * lifecycle. A failed audit is a result (state DROPPED, with its report id), not an error. With
 * {@code wait => false} the run is recorded PENDING and returned at once; it goes on in the
 * gateway ({@code run_status}, {@code cancel_run}).
 */
public final class StartBackfillProcedure extends TypedProcedure<RunRows.Row> {

  public static final String NAME = "start_backfill";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam START_DATE = ProcedureParam.requiredString("start_date", "First day of the window, YYYY-MM-DD");
  static final ProcedureParam END_DATE = ProcedureParam.requiredString("end_date", "Day after the window, YYYY-MM-DD (exclusive)");
  static final ProcedureParam PUBLISH = ProcedureParam.optionalBoolean("publish", true,
      "Publish to main when the audit passes; false stops at PASSED (publish later with publish(run_id))");
  static final ProcedureParam WAIT = ProcedureParam.optionalBoolean("wait", true,
      "true: return when the run has ended; false: return the PENDING run at once, the work goes on in the gateway");

  private final ProcedureServices services;

  public StartBackfillProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, START_DATE, END_DATE, PUBLISH, WAIT), RunRows.SCHEMA,
        "Backfill a window of a feature view: write to an audit branch, audit, publish");
    this.services = services;
  }

  @Override
  protected List<RunRows.Row> rows(ProcedureArgs args) {
    BackfillRequest request = BackfillRequest.of(args.nonBlankString(FEATURE_VIEW), args.string(START_DATE),
        args.string(END_DATE), args.booleanValue(PUBLISH), "procedure", services.user());
    if (!args.booleanValue(WAIT)) {
      return List.of(RunRows.row(services.runs().submit(services.backfills(), request, services::progress)));
    }
    BackfillResult result = services.runs().runHere(services.backfills(), request, services::progress);
    return List.of(RunRows.row(result.run()));
  }
}
