package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.lineage_run(run_id => 42)}: everything about a run (who, how,
 * definition with its text at run time, pinned inputs, output snapshots, audit) and what it fed.
 */
public final class LineageRunProcedure extends TypedProcedure<LineageRows.Row> {

  public static final String NAME = "lineage_run";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "The run");

  private final ProcedureServices services;

  public LineageRunProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), LineageRows.SCHEMA,
        "A run's lineage: definition, inputs, outputs, audit, and the partitions and sync it fed");
    this.services = services;
  }

  @Override
  protected List<LineageRows.Row> rows(ProcedureArgs args) {
    return LineageRows.rows(services.lineage().run(args.longValue(RUN_ID)));
  }
}
