package io.featurelake.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Feature-view definitions for a test's own features directory. */
public final class TestFeatures {

  private TestFeatures() {}

  /** The shipped definitions under {@code sql-catalog/features}. */
  public static Path shipped() throws IOException {
    return Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
  }

  /**
   * Copies a shipped view into {@code dir} with its drift checks relaxed (PSI and row-count change),
   * for tests whose generated windows may drift from each other and that are not about auditing.
   */
  public static void copyRelaxed(Path dir, String view) throws IOException {
    Files.createDirectories(dir);
    Files.copy(shipped().resolve(view + ".sql"), dir.resolve(view + ".sql"));
    Files.writeString(dir.resolve(view + ".yaml"), Files.readString(shipped().resolve(view + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100"));
  }

  /** Name of the view {@link #writeSlowView} defines. */
  public static final String SLOW_VIEW = "slow_view";

  /**
   * Defines {@value #SLOW_VIEW} in {@code dir}: a view over {@code lake.raw.events} that computes
   * a few billion generated rows (a write of minutes), for tests that must catch a run while it
   * writes (cancel, a gateway stopped mid-run). Its checks pass whatever it writes.
   */
  public static void writeSlowView(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(SLOW_VIEW + ".yaml"), "name: " + SLOW_VIEW + "\ndescription: slow test view\n"
        + "owner: test@example.com\nlookback_days: 0\nentities: [user_id]\nevent_timestamp: event_date\n"
        + "sources: [lake.raw.events]\nchecks:\n  min_row_count: 1\n  max_null_rate: 1.0\n  max_duplicate_keys: 0\n"
        + "  max_psi: 1000\n  max_row_count_change: 1000\n");
    Files.writeString(dir.resolve(SLOW_VIEW + ".sql"),
        "SELECT user_id, event_date, count(*) AS n, sum(x) AS s FROM (\n"
            + "  SELECT id % 5000 AS user_id, DATE '${start_date}' AS event_date, CAST(id % 97 AS DOUBLE) AS x\n"
            + "  FROM range(0, 20000000000)\n"
            + ") CROSS JOIN (SELECT count(*) AS c FROM lake.raw.events WHERE event_ts < TIMESTAMP '2000-01-01')\n"
            + "WHERE DATE '${start_date}' < DATE '${end_date}'\nGROUP BY user_id, event_date\n");
  }
}
