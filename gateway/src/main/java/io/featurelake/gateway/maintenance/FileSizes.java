package io.featurelake.gateway.maintenance;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 128MB}, {@code 64 KB}, {@code 1GB} or plain bytes; binary units (1 KB = 1024). */
final class FileSizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?");

  private FileSizes() {}

  /** The size in bytes, or an IllegalArgumentException naming the value. */
  static long parse(String name, String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " must be a size such as 128MB, 512KB or a number of bytes, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      case "GB" -> n << 30;
      default -> n;
    };
  }

  static String format(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KB";
    }
    return bytes + " B";
  }
}
