package io.featurelake.gateway.online;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

/**
 * The online key layout (stable; documented in docs/online-sync.md):
 * <pre>
 *   key    = &lt;prefix&gt;:&lt;view&gt;:{&lt;entity values joined by '|'&gt;}
 *   fields = one per feature column (absent = NULL), _event_ts, _snapshot_seq
 * </pre>
 * The hash tag is the entity: every view's hash of one entity lands in the same cluster slot, so
 * a server reading several views of one entity talks to one node, and a view's keys spread over
 * the whole cluster instead of loading one node.
 */
public final class OnlineKeys {

  public static final String EVENT_TS_FIELD = "_event_ts";
  public static final String SNAPSHOT_SEQ_FIELD = "_snapshot_seq";
  static final String NULL_ENTITY = "\\N";

  private OnlineKeys() {}

  public static String key(String prefix, String view, List<?> entityValues) {
    StringBuilder out = new StringBuilder(prefix.length() + view.length() + 24).append(prefix).append(':').append(view).append(":{");
    appendEntity(out, entityValues);
    return out.append('}').toString();
  }

  /**
   * The view's sync marker: a plain string key holding the snapshot id of the last sync, written
   * with the cursor. Not matched by {@link #viewPattern} (no brace after the view).
   */
  public static String markerKey(String prefix, String view) {
    return prefix + ":" + view + ":_synced";
  }

  /** The key prefix of one view: {@code <prefix>:<view>:{}, used to SCAN its keys. */
  public static String viewPattern(String prefix, String view) {
    // Prefix and view names are [A-Za-z0-9_.-]: nothing in them is a glob character.
    return prefix + ":" + view + ":{*";
  }

  static void appendEntity(StringBuilder out, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append('|');
      }
      Object v = values.get(i);
      if (v == null) {
        out.append(NULL_ENTITY);
        continue;
      }
      String s = encode(v);
      for (int c = 0; c < s.length(); c++) {
        char ch = s.charAt(c);
        if (ch == '|' || ch == '\\') {
          out.append('\\');
        }
        out.append(ch);
      }
    }
  }

  /**
   * A feature value as stored in its hash field: integers in decimal, floating point as Java's
   * {@code Double.toString} (round-trips exactly), decimals in plain notation, booleans
   * {@code true/false}, dates ISO {@code 2023-01-05}, timestamps ISO-8601 UTC
   * {@code 2023-01-05T10:15:30Z}, binary Base64, strings as they are. NULL is never encoded: the
   * field is left out.
   */
  public static String encode(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return value.toString();
    }
    if (value instanceof Double d) {
      return Double.toString(d);
    }
    if (value instanceof Float f) {
      return Double.toString(f.doubleValue());
    }
    if (value instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof Instant i) {
      return i.toString();
    }
    if (value instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toString();
    }
    if (value instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    return new String(value.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
