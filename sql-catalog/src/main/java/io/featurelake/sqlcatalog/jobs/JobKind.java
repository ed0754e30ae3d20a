package io.featurelake.sqlcatalog.jobs;

import java.util.Locale;

/** What an asynchronous job does: named after the procedure that started it. */
public enum JobKind {
  SYNC_ONLINE, RUN_MAINTENANCE;

  /** The procedure's name ({@code sync_online}), as shown to users. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobKind ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
