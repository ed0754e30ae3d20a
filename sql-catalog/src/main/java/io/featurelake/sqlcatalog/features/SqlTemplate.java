package io.featurelake.sqlcatalog.features;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Static checks of a view's SQL text. Without Spark there is no parser here, so the checks are
 * lexical: placeholders, a single SELECT, and that the declared columns and sources are
 * mentioned. The backfill checks the real output schema when it runs the query.
 */
final class SqlTemplate {

  static final String START_DATE = "start_date";
  static final String END_DATE = "end_date";
  static final String LOOKBACK_START = "lookback_start";
  static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final Set<String> KNOWN = Set.of(START_DATE, END_DATE, LOOKBACK_START);
  private static final Pattern FIRST_WORD = Pattern.compile("[(\\s]*([A-Za-z]*)");

  private SqlTemplate() {
  }

  /** Returns the first problem with {@code sql}, or null when it passes. */
  static String problem(String sql, String sqlFileName, Declared parts) {
    if (sql.isBlank()) {
      return sqlFileName + " is empty";
    }
    Set<String> used = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(sql);
    while (m.find()) {
      if (!KNOWN.contains(m.group(1))) {
        return "unknown placeholder " + m.group() + " in " + sqlFileName;
      }
      used.add(m.group(1));
    }
    for (String required : List.of(START_DATE, END_DATE)) {
      if (!used.contains(required)) {
        return sqlFileName + " does not use ${" + required + "}: the SQL must compute only the window [${start_date}, ${end_date})";
      }
    }
    if (parts.lookbackDays() > 0 && !used.contains(LOOKBACK_START)) {
      return "lookback_days is " + parts.lookbackDays() + " but " + sqlFileName + " does not use ${lookback_start}";
    }

    String code = code(sql);
    Matcher first = FIRST_WORD.matcher(code);
    String keyword = first.lookingAt() ? first.group(1).toUpperCase(Locale.ROOT) : "";
    if (!keyword.equals("SELECT") && !keyword.equals("WITH")) {
      return sqlFileName + " must be one SELECT statement (optionally starting with WITH), got '" + keyword + "'";
    }
    if (code.indexOf(';') >= 0) {
      return sqlFileName + " must be a single statement without ';' (the backfill wraps it in a larger query)";
    }
    String unquoted = code.replace("`", "");
    for (String entity : parts.entities()) {
      if (!mentions(unquoted, entity)) {
        return sqlFileName + " does not mention the entity column '" + entity + "'";
      }
    }
    if (!mentions(unquoted, parts.eventTimestamp())) {
      return sqlFileName + " does not mention the event timestamp column '" + parts.eventTimestamp() + "'";
    }
    for (String source : parts.sources()) {
      if (!mentions(unquoted, source)) {
        return sqlFileName + " does not read the declared source '" + source + "'";
      }
    }
    return null;
  }

  private static boolean mentions(String code, String name) {
    return Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w])", Pattern.CASE_INSENSITIVE)
        .matcher(code).find();
  }

  /**
   * The SQL with comments and the contents of string literals blanked out (same length), so that
   * words, semicolons and column names inside them are not mistaken for code. Backtick-quoted
   * identifiers are kept.
   */
  static String code(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int depth = 0;
        do {
          if (sql.startsWith("/*", i)) {
            depth++;
            out.append("  ");
            i += 2;
          } else if (sql.startsWith("*/", i)) {
            depth--;
            out.append("  ");
            i += 2;
          } else {
            out.append(sql.charAt(i) == '\n' ? '\n' : ' ');
            i++;
          }
        } while (depth > 0 && i < n);
      } else if (c == '\'' || c == '"') {
        out.append(c);
        i++;
        while (i < n && sql.charAt(i) != c) {
          if (sql.charAt(i) == '\\' && i + 1 < n) {
            out.append(' ');
            i++;
          }
          out.append(' ');
          i++;
        }
        if (i < n) {
          out.append(c);
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** What the SQL checks need from the YAML side. */
  record Declared(List<String> entities, String eventTimestamp, List<String> sources, int lookbackDays) {
    Declared {
      entities = List.copyOf(entities);
      sources = List.copyOf(sources);
    }
  }
}
