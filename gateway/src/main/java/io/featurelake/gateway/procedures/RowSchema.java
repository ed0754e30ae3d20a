package io.featurelake.gateway.procedures;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A procedure's output columns, declared once as a Java record: the Spark schema is derived from
 * the record's components (in order, {@code runId} becomes the column {@code run_id}; primitives
 * are NOT NULL, boxed types nullable), and every output row is an instance of that record, so a
 * row cannot drift from its schema. A reference component marked {@link Required} is NOT NULL.
 * Times (Instant, OffsetDateTime) are shown as ISO text, enums by name, LocalDate as DATE.
 */
public final class RowSchema<R extends Record> {

  /** A column that is never NULL (for components of reference types; primitives always are). */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.RECORD_COMPONENT)
  public @interface Required {}

  private final Class<R> type;
  private final RecordComponent[] components;
  private final StructType struct;

  private RowSchema(Class<R> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    StructType s = new StructType();
    for (RecordComponent c : components) {
      boolean nullable = !c.getType().isPrimitive() && c.getAnnotation(Required.class) == null;
      s = s.add(column(c.getName()), sparkType(c.getType()), nullable);
    }
    this.struct = s;
  }

  public static <R extends Record> RowSchema<R> of(Class<R> type) {
    return new RowSchema<>(type);
  }

  public StructType struct() {
    return struct;
  }

  /** The row's values in column order, as {@link PlatformProcedure} hands them to Spark. */
  public Object[] values(R row) {
    Object[] out = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      Object v;
      try {
        v = components[i].getAccessor().invoke(row);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("Cannot read " + type.getSimpleName() + "." + components[i].getName(), e);
      }
      out[i] = v instanceof Enum<?> e ? e.name()
          : v instanceof Instant || v instanceof OffsetDateTime ? v.toString()
          : v instanceof LocalDate d ? (Object) (int) d.toEpochDay()
          : v;
    }
    return out;
  }

  /** {@code runId} to {@code run_id}. */
  static String column(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private DataType sparkType(Class<?> t) {
    if (t == long.class || t == Long.class) {
      return DataTypes.LongType;
    }
    if (t == int.class || t == Integer.class) {
      return DataTypes.IntegerType;
    }
    if (t == boolean.class || t == Boolean.class) {
      return DataTypes.BooleanType;
    }
    if (t == double.class || t == Double.class) {
      return DataTypes.DoubleType;
    }
    if (t == LocalDate.class) {
      return DataTypes.DateType;
    }
    if (t == String.class || t.isEnum() || t == Instant.class || t == OffsetDateTime.class) {
      return DataTypes.StringType;
    }
    throw new IllegalStateException(type.getSimpleName() + ": no SQL type for a component of type " + t.getName());
  }
}
