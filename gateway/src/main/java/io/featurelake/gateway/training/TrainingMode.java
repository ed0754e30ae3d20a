package io.featurelake.gateway.training;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Locale;

/** Which feature rows a label may see. */
public enum TrainingMode {
  /**
   * The row with the latest event time at or before the label among the rows that were on main
   * at the label time (published at or before it). Corrections published later never leak in.
   */
  AS_KNOWN_AT,
  /** The classic point-in-time join on event time alone, at main's current snapshot. */
  EVENT_TIME;

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TrainingMode parse(String value) {
    for (TrainingMode mode : values()) {
      if (mode.sqlName().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return mode;
      }
    }
    throw PlatformException.invalidArgument("mode must be as_known_at or event_time, got '%s'", value);
  }
}
