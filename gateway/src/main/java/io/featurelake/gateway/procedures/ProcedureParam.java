package io.featurelake.gateway.procedures;

import java.util.Objects;
import org.apache.spark.sql.connector.iceberg.catalog.ProcedureParameter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One declared argument of a platform procedure: name, SQL type, required or optional with a
 * default, and a description for the docs. Declared once as a constant per procedure.
 */
public final class ProcedureParam {

  private final String name;
  private final DataType type;
  private final boolean required;
  private final Object defaultValue;
  private final String description;

  private ProcedureParam(String name, DataType type, boolean required, Object defaultValue, String description) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.required = required;
    this.defaultValue = defaultValue;
    this.description = Objects.requireNonNull(description, "description");
  }

  public static ProcedureParam requiredString(String name, String description) {
    return new ProcedureParam(name, DataTypes.StringType, true, null, description);
  }

  public static ProcedureParam optionalString(String name, String defaultValue, String description) {
    return new ProcedureParam(name, DataTypes.StringType, false, defaultValue, description);
  }

  public static ProcedureParam requiredLong(String name, String description) {
    return new ProcedureParam(name, DataTypes.LongType, true, null, description);
  }

  public static ProcedureParam optionalLong(String name, Long defaultValue, String description) {
    return new ProcedureParam(name, DataTypes.LongType, false, defaultValue, description);
  }

  public static ProcedureParam optionalInt(String name, Integer defaultValue, String description) {
    return new ProcedureParam(name, DataTypes.IntegerType, false, defaultValue, description);
  }

  public static ProcedureParam optionalBoolean(String name, Boolean defaultValue, String description) {
    return new ProcedureParam(name, DataTypes.BooleanType, false, defaultValue, description);
  }

  public String name() {
    return name;
  }

  public DataType type() {
    return type;
  }

  public boolean required() {
    return required;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  ProcedureParameter toIceberg() {
    return required ? ProcedureParameter.required(name, type) : ProcedureParameter.optional(name, type);
  }
}
