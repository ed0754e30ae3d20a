package io.featurelake.gateway.demo;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What kind of data the demo generator writes: healthy, broken for an audit, or shifted for drift. */
public enum GeneratorMode {
  /** The regular funnel mix and prices. */
  NORMAL,
  /** As {@link #NORMAL}, but 30% of purchase amounts are NULL: a null-rate check should fail. */
  NULL_AMOUNTS,
  /** Amounts three times higher and more purchases in the mix: a distribution shift for drift checks. */
  SHIFTED;

  /** The name as written in SQL, e.g. {@code null_amounts}. */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive; the error lists the valid names. */
  public static GeneratorMode parse(String value) {
    if (value != null) {
      String wanted = value.strip().toUpperCase(Locale.ROOT);
      for (GeneratorMode mode : values()) {
        if (mode.name().equals(wanted)) {
          return mode;
        }
      }
    }
    throw PlatformException.invalidArgument("mode must be one of %s, got %s", validNames(),
        value == null ? "NULL" : "'" + value + "'");
  }

  static String validNames() {
    return Arrays.stream(values()).map(GeneratorMode::sqlName).collect(Collectors.joining(", "));
  }
}
