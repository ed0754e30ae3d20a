package io.featurelake.gateway.cli;

import java.util.Arrays;
import java.util.List;

/**
 * The arguments of a {@code run_*.sh} script, one option at a time: {@code --flag},
 * {@code --flag value} and {@code --flag=value}. Every mistake is an
 * {@link IllegalArgumentException} whose message names the option, for the script to print
 * above its usage.
 *
 * <pre>{@code
 * CliArgs cli = new CliArgs(args);
 * while (cli.next()) {
 *   switch (cli.flag()) {
 *     case "--days" -> days = cli.intValue();
 *     case "--dry-run" -> dryRun = cli.switchOn();
 *     default -> throw cli.unknown();
 *   }
 * }
 * }</pre>
 */
public final class CliArgs {

  private final String[] args;
  private int index = -1;
  private String flag;
  private String inline;

  public CliArgs(String[] args) {
    this.args = args.clone();
  }

  /** Moves to the next option; false when there is none. */
  public boolean next() {
    index++;
    if (index >= args.length) {
      return false;
    }
    String a = args[index];
    int eq = a.indexOf('=');
    if (a.startsWith("--") && eq > 0) {
      flag = a.substring(0, eq);
      inline = a.substring(eq + 1);
    } else {
      flag = a;
      inline = null;
    }
    return true;
  }

  /** The current option without any {@code =value}. */
  public String flag() {
    return flag;
  }

  /** The option's value: after {@code =}, else the next argument (which must not be an option). */
  public String value() {
    if (inline != null) {
      return inline;
    }
    if (index + 1 >= args.length || args[index + 1].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[++index];
  }

  /** A whole-number value; underscores are allowed as separators ({@code 1_000_000}). */
  public long longValue() {
    String text = value();
    try {
      return Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, got '" + text + "'");
    }
  }

  /** A whole-number value that fits an int. */
  public int intValue() {
    long v = longValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(flag + " is out of range, got " + v);
    }
    return (int) v;
  }

  /** A comma-separated value, blanks dropped: {@code a, b,,c} is [a, b, c]. */
  public List<String> listValue() {
    return Arrays.stream(value().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** For an option that takes no value: true, or an error if one was given with {@code =}. */
  public boolean switchOn() {
    if (inline != null) {
      throw new IllegalArgumentException(flag + " takes no value, got '" + flag + "=" + inline + "'");
    }
    return true;
  }

  /** The error for an option the script does not know, as the user typed it. */
  public IllegalArgumentException unknown() {
    return new IllegalArgumentException("unknown option '" + args[index] + "'");
  }
}
