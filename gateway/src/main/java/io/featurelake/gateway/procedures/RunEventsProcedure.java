package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.runs.RunEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.run_events(run_id => 42)}: every step of a run, to follow it live. */
public final class RunEventsProcedure extends PlatformProcedure {

  public static final String NAME = "run_events";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "Run to show");

  private static final StructType OUTPUT = new StructType()
      .add("at", DataTypes.StringType, false)
      .add("from_state", DataTypes.StringType, true)
      .add("to_state", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true);

  public RunEventsProcedure() {
    super(NAME, List.of(RUN_ID), OUTPUT, "State changes and progress of a run");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    long runId = args.longValue(RUN_ID);
    var runs = ProcedureContext.backfills().runs();
    if (runs.find(runId).isEmpty()) {
      throw PlatformException.notFound("Unknown run %d", runId);
    }
    List<Object[]> rows = new ArrayList<>();
    for (RunEvent e : runs.events(runId)) {
      rows.add(new Object[] {e.at().toString(), e.fromState() == null ? null : e.fromState().name(), e.toState().name(), e.message()});
    }
    return rows;
  }
}
