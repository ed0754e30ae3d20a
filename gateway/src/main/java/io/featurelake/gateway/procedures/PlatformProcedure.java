package io.featurelake.gateway.procedures;

import io.featurelake.gateway.security.ProcedureAccess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.iceberg.catalog.Procedure;
import org.apache.spark.sql.connector.iceberg.catalog.ProcedureParameter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Base of every {@code CALL lake.platform.<name>(...)} procedure. A subclass declares its
 * parameters and output once, reads its arguments through {@link ProcedureArgs} and hands the
 * work to a plain Java service; it holds no business rule of its own.
 */
public abstract class PlatformProcedure implements Procedure {

  private final String name;
  private final List<ProcedureParam> params;
  private final StructType output;
  private final String description;

  protected PlatformProcedure(String name, List<ProcedureParam> params, StructType output, String description) {
    this.name = name;
    this.params = List.copyOf(params);
    this.output = output;
    this.description = description;
    checkDeclaration();
  }

  /** Does the work for one call and returns its result rows. */
  protected abstract List<Object[]> run(ProcedureArgs args);

  public String name() {
    return name;
  }

  public List<ProcedureParam> params() {
    return params;
  }

  @Override
  public final ProcedureParameter[] parameters() {
    return params.stream().map(ProcedureParam::toIceberg).toArray(ProcedureParameter[]::new);
  }

  @Override
  public final StructType outputType() {
    return output;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final InternalRow[] call(InternalRow args) {
    ProcedureArgs procedureArgs = new ProcedureArgs(name, params, args);
    // The grant check and the audit log entry, with the session's user; the work itself runs trusted.
    List<Object[]> rows = ProcedureAccess.call(name, procedureArgs.values(), () -> run(procedureArgs));
    List<InternalRow> out = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      if (row.length != output.size()) {
        throw new IllegalStateException(name + " produced " + row.length + " values for " + output.size() + " output columns");
      }
      Object[] converted = new Object[row.length];
      for (int i = 0; i < row.length; i++) {
        converted[i] = row[i] instanceof String ? UTF8String.fromString((String) row[i]) : row[i];
      }
      out.add(new GenericInternalRow(converted));
    }
    return out.toArray(new InternalRow[0]);
  }

  /** Trino's rule: names unique, optional arguments after required ones (positional calls stay unambiguous). */
  private void checkDeclaration() {
    Set<String> seen = new HashSet<>();
    boolean optionalSeen = false;
    for (ProcedureParam p : params) {
      if (!seen.add(p.name())) {
        throw new IllegalStateException(name + ": duplicate parameter " + p.name());
      }
      if (p.required() && optionalSeen) {
        throw new IllegalStateException(name + ": optional arguments should follow required ones (" + p.name() + ")");
      }
      optionalSeen |= !p.required();
    }
  }
}
