package io.featurelake.webui.console.ui;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Builds the time-travel query the console's picker fills in; checks the value first. */
final class TimeTravelClause {

  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,3}");
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");

  private TimeTravelClause() {}

  static String select(String table, String kind, String value) {
    String t = table == null ? "" : table.strip();
    String v = value == null ? "" : value.strip();
    if (!TABLE.matcher(t).matches()) {
      throw new IllegalArgumentException("Table must be a name like lake.features.user_activity_daily, got '" + t + "'");
    }
    if (!t.contains(".")) {
      t = "lake.features." + t;
    }
    return "SELECT * FROM " + t + " " + clause(kind, v) + " LIMIT 100";
  }

  static String clause(String kind, String v) {
    switch (kind == null ? "" : kind) {
      case "tag or run":
        if (v.matches("\\d+")) {
          v = "run_" + v;
        }
        if (!REF.matcher(v).matches()) {
          throw new IllegalArgumentException("A tag or branch name has letters, digits, '_', '-' or '.', got '" + v + "'");
        }
        return "VERSION AS OF '" + v + "'";
      case "snapshot id":
        if (!v.matches("-?\\d{1,19}")) {
          throw new IllegalArgumentException("A snapshot id is a number, got '" + v + "'");
        }
        return "VERSION AS OF " + v;
      case "timestamp":
        try {
          LocalDateTime.parse(v, TS);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("A timestamp looks like 2023-01-01 10:00:00, got '" + v + "'");
        }
        return "TIMESTAMP AS OF '" + v + "'";
      default:
        throw new IllegalArgumentException("Pick tag or run, snapshot id or timestamp");
    }
  }
}
