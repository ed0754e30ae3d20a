package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * A procedure whose output rows are records ({@link RowSchema}): the schema Spark sees and the
 * rows it returns come from the same declaration.
 */
public abstract class TypedProcedure<R extends Record> extends PlatformProcedure {

  private final RowSchema<R> rows;

  protected TypedProcedure(String name, List<ProcedureParam> params, RowSchema<R> rows, String description) {
    super(name, params, rows.struct(), description);
    this.rows = rows;
  }

  /** Does the work for one call and returns its rows. */
  protected abstract List<R> rows(ProcedureArgs args);

  @Override
  protected final List<Object[]> run(ProcedureArgs args) {
    return rows(args).stream().map(rows::values).toList();
  }
}
