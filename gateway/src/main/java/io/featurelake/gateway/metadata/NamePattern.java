package io.featurelake.gateway.metadata;

import java.util.Locale;
import java.util.regex.Pattern;

/** A JDBC metadata search pattern ({@code %} any run, {@code _} one character, {@code \} escape). */
final class NamePattern {

  private final Pattern regex;

  private NamePattern(Pattern regex) {
    this.regex = regex;
  }

  /** Null or empty matches everything, as JDBC clients expect. */
  static NamePattern of(String jdbcPattern) {
    if (jdbcPattern == null || jdbcPattern.isEmpty() || jdbcPattern.equals("%") || jdbcPattern.equals("*")) {
      return new NamePattern(null);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < jdbcPattern.length(); i++) {
      char c = jdbcPattern.charAt(i);
      if (c == '\\' && i + 1 < jdbcPattern.length()) {
        out.append(Pattern.quote(String.valueOf(jdbcPattern.charAt(++i))));
      } else if (c == '%') {
        out.append(".*");
      } else if (c == '_') {
        out.append('.');
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new NamePattern(Pattern.compile(out.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  boolean matches(String name) {
    return regex == null || regex.matcher(name.toLowerCase(Locale.ROOT)).matches() || regex.matcher(name).matches();
  }
}
