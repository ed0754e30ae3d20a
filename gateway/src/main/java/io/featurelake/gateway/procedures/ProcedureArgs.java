package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;

/**
 * The arguments of one call, read by their declared {@link ProcedureParam}, with defaults applied.
 * Iceberg's resolver has already matched named and positional arguments and cast the values.
 */
public final class ProcedureArgs {

  private final String procedure;
  private final List<ProcedureParam> params;
  private final InternalRow row;

  ProcedureArgs(String procedure, List<ProcedureParam> params, InternalRow row) {
    this.procedure = "lake.platform." + procedure;
    this.params = params;
    this.row = row;
  }

  public boolean isSet(ProcedureParam param) {
    return !row.isNullAt(index(param));
  }

  public String string(ProcedureParam param) {
    int i = index(param);
    if (row.isNullAt(i)) {
      return (String) missing(param);
    }
    return row.getUTF8String(i).toString();
  }

  /** A string argument that must not be blank once trimmed. */
  public String nonBlankString(ProcedureParam param) {
    String value = string(param);
    if (value == null || value.isBlank()) {
      throw PlatformException.invalidArgument("%s: argument '%s' must not be empty", procedure, param.name());
    }
    return value.strip();
  }

  /**
   * A STRING argument holding an ISO date ({@code '2023-01-01'}); see {@link DateArguments}.
   * An optional argument left out gives its default parsed the same way, or null.
   */
  public LocalDate localDate(ProcedureParam param) {
    String value = string(param);
    return value == null ? null : DateArguments.parseIsoDate(procedure, param.name(), value);
  }

  /** The qualified name of the called procedure, {@code lake.platform.<name>}, for messages. */
  public String procedure() {
    return procedure;
  }

  public Long longValue(ProcedureParam param) {
    int i = index(param);
    if (row.isNullAt(i)) {
      return (Long) missing(param);
    }
    return param.type().equals(DataTypes.IntegerType) ? (long) row.getInt(i) : row.getLong(i);
  }

  public Integer intValue(ProcedureParam param) {
    int i = index(param);
    return row.isNullAt(i) ? (Integer) missing(param) : row.getInt(i);
  }

  public Boolean booleanValue(ProcedureParam param) {
    int i = index(param);
    return row.isNullAt(i) ? (Boolean) missing(param) : row.getBoolean(i);
  }

  private Object missing(ProcedureParam param) {
    if (param.required()) {
      throw PlatformException.invalidArgument("%s: argument '%s' must not be NULL", procedure, param.name());
    }
    return param.defaultValue();
  }

  private int index(ProcedureParam param) {
    int i = params.indexOf(param);
    if (i < 0) {
      throw new IllegalArgumentException(param.name() + " is not a parameter of " + procedure);
    }
    return i;
  }
}
