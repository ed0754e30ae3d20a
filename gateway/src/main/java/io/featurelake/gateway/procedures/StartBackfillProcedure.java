package io.featurelake.gateway.procedures;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import java.util.List;

/**
 * {@code CALL lake.platform.start_backfill(feature_view => 'v', start_date => '2023-01-01',
 * end_date => '2023-01-02' [, publish => true])}: the whole Write-Audit-Publish lifecycle.
 * A failed audit is a result (state DROPPED, with its report id), not an error.
 */
public final class StartBackfillProcedure extends PlatformProcedure {

  public static final String NAME = "start_backfill";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam START_DATE = ProcedureParam.requiredString("start_date", "First day of the window, YYYY-MM-DD");
  static final ProcedureParam END_DATE = ProcedureParam.requiredString("end_date", "Day after the window, YYYY-MM-DD (exclusive)");
  static final ProcedureParam PUBLISH = ProcedureParam.optionalBoolean("publish", true,
      "Publish to main when the audit passes; false stops at PASSED (publish later with publish(run_id))");

  public StartBackfillProcedure() {
    super(NAME, List.of(FEATURE_VIEW, START_DATE, END_DATE, PUBLISH), RunRows.OUTPUT,
        "Backfill a window of a feature view: write to an audit branch, audit, publish");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    BackfillRequest request = BackfillRequest.of(args.nonBlankString(FEATURE_VIEW), args.string(START_DATE),
        args.string(END_DATE), args.booleanValue(PUBLISH), "procedure", ProcedureContext.user());
    BackfillResult result = ProcedureContext.backfills().start(request, ProcedureContext::progress);
    return List.<Object[]>of(RunRows.row(result.run()));
  }
}
