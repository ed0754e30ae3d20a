package io.featurelake.gateway.testing;

import static io.featurelake.gateway.testing.JdbcRows.query;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Polls a one-row status procedure ({@code run_status}, {@code job_status}) through JDBC until a condition holds. */
public final class StatusPolling {

  private StatusPolling() {}

  /** Calls {@code call} every 300 ms until {@code done} holds; returns every row seen, or fails naming the last one. */
  public static List<Map<String, Object>> await(Connection c, String call, Predicate<Map<String, Object>> done,
      long timeoutSeconds) throws Exception {
    List<Map<String, Object>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      Map<String, Object> row = query(c, call).get(0);
      seen.add(row);
      if (done.test(row)) {
        return seen;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(call + " did not get there in " + timeoutSeconds + " s; last: "
        + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
  }
}
