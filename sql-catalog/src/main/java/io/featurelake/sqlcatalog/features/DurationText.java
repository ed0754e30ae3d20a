package io.featurelake.sqlcatalog.features;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in feature-view files: a whole number and one unit, {@code d} (days),
 * {@code h}, {@code m} or {@code s}, for example {@code 7d}, {@code 36h}, {@code 90m},
 * {@code 3600s}.
 */
public final class DurationText {

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})([dhms])");

  private DurationText() {
  }

  /** Parses {@code 7d}, {@code 36h}, {@code 90m} or {@code 3600s}; rejects anything else. */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("Not a duration like 7d, 36h, 90m or 3600s: " + text);
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "d":
        return Duration.ofDays(amount);
      case "h":
        return Duration.ofHours(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofSeconds(amount);
    }
  }

  /** The shortest exact text for a whole number of seconds: {@code 7d}, {@code 36h}, {@code 61s}. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (duration.getNano() != 0 || seconds < 0) {
      throw new IllegalArgumentException("Only whole, non-negative seconds can be written: " + duration);
    }
    if (seconds != 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds != 0 && seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
