package io.featurelake.webui.common;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a {@code CALL lake.platform.<procedure>(name => value, ...)} from checked values. Inside
 * CALL arguments a doubled quote is not an escape, so a string argument may not hold a quote or a
 * backslash at all: every value the UI sends is a name, a date, a number or a boolean.
 */
public final class Call {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern SAFE_TEXT = Pattern.compile("[^'\\\\;\\p{Cntrl}]*");

  private final String procedure;
  private final List<String> args = new ArrayList<>();
  private final Map<String, Object> values = new LinkedHashMap<>();

  private Call(String procedure) {
    if (!NAME.matcher(procedure).matches()) {
      throw new IllegalArgumentException("bad procedure name " + procedure);
    }
    this.procedure = procedure;
  }

  public static Call of(String procedure) {
    return new Call(procedure);
  }

  public Call name(String arg, String value) {
    if (value == null || !Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*").matcher(value).matches()) {
      throw new IllegalArgumentException(arg + " must be a name, got '" + value + "'");
    }
    values.put(arg, value);
    return raw(arg, "'" + value + "'");
  }

  public Call text(String arg, String value) {
    if (value == null || !SAFE_TEXT.matcher(value).matches() || value.length() > 500) {
      throw new IllegalArgumentException(arg + " may not contain quotes, backslashes, ';' or control characters, "
          + "and at most 500 characters");
    }
    values.put(arg, value);
    return raw(arg, "'" + value + "'");
  }

  public Call date(String arg, LocalDate value) {
    if (value == null) {
      throw new IllegalArgumentException(arg + " is required");
    }
    values.put(arg, value.toString());
    return raw(arg, "'" + value + "'");
  }

  public Call number(String arg, long value) {
    values.put(arg, value);
    return raw(arg, Long.toString(value));
  }

  public Call bool(String arg, boolean value) {
    values.put(arg, value);
    return raw(arg, Boolean.toString(value));
  }

  private Call raw(String arg, String literal) {
    if (!NAME.matcher(arg).matches()) {
      throw new IllegalArgumentException("bad argument name " + arg);
    }
    args.add(arg + " => " + literal);
    return this;
  }

  public String procedure() {
    return procedure;
  }

  /** The arguments by name, typed as the gateway's procedures see them (for the grant check). */
  public Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  /** The call as audit_log names a target: {@code lake.platform.publish(run_id => 42)}. */
  public String target() {
    return "lake.platform." + procedure + "(" + String.join(", ", args) + ")";
  }

  public String sql() {
    return "CALL lake.platform." + procedure + "(" + String.join(", ", args) + ")";
  }

  @Override
  public String toString() {
    return sql();
  }
}
