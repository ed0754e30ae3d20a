package io.featurelake.gateway.security;

import java.util.function.Supplier;
import org.apache.spark.sql.catalyst.CurrentUserContext$;

/**
 * Who the code on this thread works for. Spark's Thrift server puts the session's (authenticated)
 * user into {@code CurrentUserContext} while it runs a client's statement; anything else (a
 * {@code run_*.sh} job, a test's local session) has none. Inside a platform procedure the
 * platform's own services run <em>trusted</em>: their writes to feature tables are the
 * Write-Audit-Publish path itself and are not checked again.
 */
public final class SessionUser {

  /** Inherited like Spark's user, so helper threads a trusted service starts stay trusted. */
  private static final InheritableThreadLocal<Boolean> TRUSTED = new InheritableThreadLocal<>();

  private SessionUser() {}

  /** The client user of the statement on this thread, or null when none runs here. */
  public static String client() {
    String user = CurrentUserContext$.MODULE$.CURRENT_USER().get();
    return user == null || user.isEmpty() ? null : user;
  }

  /** Whether client SQL analysed now must pass the statement guard. */
  public static boolean checked() {
    return client() != null && !Boolean.TRUE.equals(TRUSTED.get());
  }

  /** Runs the platform's own work for an already authorized call. */
  public static <T> T trusted(Supplier<T> work) {
    Boolean before = TRUSTED.get();
    TRUSTED.set(Boolean.TRUE);
    try {
      return work.get();
    } finally {
      if (before == null) {
        TRUSTED.remove();
      } else {
        TRUSTED.set(before);
      }
    }
  }
}
