package io.featurelake.sqlcatalog.security;

/**
 * The rule for user names: 1 to 64 characters, ASCII lower-case letters, digits, '_', '.', '-',
 * starting with a letter. Plain ASCII so that no two names look alike (a Cyrillic 'а' in
 * "аdmin" is refused, not stored as a second "admin").
 */
public final class UserNames {

  private UserNames() {}

  public static boolean valid(String name) {
    return name != null && name.matches("[a-z][a-z0-9_.-]{0,63}");
  }

  /** The name, or an {@link IllegalArgumentException} that quotes it (shortened and escaped when odd). */
  public static String check(String name) {
    if (!valid(name)) {
      throw new IllegalArgumentException("user name must be 1 to 64 characters a-z, 0-9, '_', '.' or '-' starting "
          + "with a letter, got " + quote(name));
    }
    return name;
  }

  /** A value for a message: quoted, at most 80 characters, non-ASCII and control characters as \\uXXXX. */
  public static String quote(String value) {
    if (value == null) {
      return "NULL";
    }
    StringBuilder sb = new StringBuilder("'");
    int shown = Math.min(value.length(), 80);
    for (int i = 0; i < shown; i++) {
      char ch = value.charAt(i);
      if (ch < 0x20 || ch > 0x7e) {
        sb.append(String.format("\\u%04X", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    sb.append('\'');
    if (value.length() > shown) {
      sb.append("... (").append(value.length()).append(" characters)");
    }
    return sb.toString();
  }
}
