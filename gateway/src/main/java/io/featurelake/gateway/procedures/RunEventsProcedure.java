package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.RunEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.run_events(run_id => 42)}: every step of a run, to follow it live. */
public final class RunEventsProcedure extends PlatformProcedure {

  public static final String NAME = "run_events";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to show");
  static final ProcedureParam OFFSET = ProcedureParam.optionalInt("offset", 0, "Skip this many events (0 or more)");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 10_000, "At most this many events (1 to 10000)");

  private static final StructType OUTPUT = new StructType()
      .add("at", DataTypes.StringType, false)
      .add("from_state", DataTypes.StringType, true)
      .add("to_state", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true);

  private final ProcedureServices services;

  public RunEventsProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID, OFFSET, LIMIT), OUTPUT, "State changes and progress of a run");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    PageRequest page = PageRequest.of(args.procedure(), args.intValue(OFFSET), args.intValue(LIMIT));
    List<Object[]> rows = new ArrayList<>();
    for (RunEvent e : services.core().runs().events(args.longValue(RUN_ID), page).items()) {
      rows.add(new Object[] {e.at().toString(), e.fromState() == null ? null : e.fromState().name(), e.toState().name(), e.message()});
    }
    return rows;
  }
}
