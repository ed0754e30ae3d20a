package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NullType;

/**
 * Checks the arguments of a {@code CALL} against a procedure's declared parameters before
 * Iceberg's resolver sees them, so every mistake gets a message naming the procedure, the
 * argument and the expected usage (Iceberg's own say "Too many arguments for procedure").
 */
public final class ProcedureSignature {

  /** One argument as written: name (null when positional) and the SQL type of its value (null if not known yet). */
  public record Argument(String name, DataType type, String sqlText) {}

  private ProcedureSignature() {}

  public static String usage(PlatformProcedure procedure) {
    String params = procedure.params().stream()
        .map(p -> p.required()
            ? p.name() + " " + p.type().sql()
            : "[" + p.name() + " " + p.type().sql() + " = " + literal(p.defaultValue()) + "]")
        .collect(Collectors.joining(", "));
    return "lake.platform." + procedure.name() + "(" + params + ")";
  }

  public static void check(PlatformProcedure procedure, List<Argument> args) {
    String qualified = "lake.platform." + procedure.name();
    List<ProcedureParam> params = procedure.params();
    boolean named = args.stream().anyMatch(a -> a.name() != null);
    boolean positional = args.stream().anyMatch(a -> a.name() == null);
    if (named && positional) {
      throw PlatformException.invalidArgument("%s: named and positional arguments cannot be mixed; usage: %s",
          qualified, usage(procedure));
    }
    if (positional && args.size() > params.size()) {
      throw PlatformException.invalidArgument("%s takes %s, got %d; usage: %s", qualified,
          params.isEmpty() ? "no arguments" : "at most " + params.size() + " argument" + (params.size() == 1 ? "" : "s"),
          args.size(), usage(procedure));
    }
    Set<String> given = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      Argument arg = args.get(i);
      ProcedureParam param;
      if (arg.name() == null) {
        param = params.get(i);
      } else {
        String name = arg.name().toLowerCase(Locale.ROOT);
        param = params.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
            PlatformException.invalidArgument("%s: unknown argument '%s'; usage: %s", qualified, arg.name(), usage(procedure)));
      }
      if (!given.add(param.name())) {
        throw PlatformException.invalidArgument("%s: argument '%s' is given twice", qualified, param.name());
      }
      if (!compatible(param.type(), arg.type())) {
        throw PlatformException.invalidArgument("%s: argument '%s' must be %s, got %s %s", qualified,
            param.name(), param.type().sql(), arg.type().sql(), arg.sqlText());
      }
    }
    for (ProcedureParam p : params) {
      if (p.required() && !given.contains(p.name())) {
        throw PlatformException.invalidArgument("%s: missing required argument '%s'; usage: %s", qualified, p.name(),
            usage(procedure));
      }
    }
  }

  /** Exact type, integer widening, or NULL. A quoted date is a STRING; an unquoted 2023-01-01 is arithmetic. */
  static boolean compatible(DataType expected, DataType actual) {
    if (actual == null || actual instanceof NullType || expected.equals(actual)) {
      return true;
    }
    if (expected.equals(DataTypes.LongType)) {
      return actual.equals(DataTypes.IntegerType) || actual.equals(DataTypes.ShortType) || actual.equals(DataTypes.ByteType);
    }
    if (expected.equals(DataTypes.IntegerType)) {
      return actual.equals(DataTypes.ShortType) || actual.equals(DataTypes.ByteType);
    }
    if (expected.equals(DataTypes.DoubleType)) {
      return actual.equals(DataTypes.IntegerType) || actual.equals(DataTypes.LongType)
          || actual.equals(DataTypes.FloatType) || actual.typeName().startsWith("decimal");
    }
    return false;
  }

  private static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    return value instanceof String ? "'" + value + "'" : value.toString();
  }
}
