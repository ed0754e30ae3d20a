package io.featurelake.gateway.audit;

import io.featurelake.gateway.lake.WindowScan;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import org.apache.iceberg.Table;

/**
 * The published rows a run is compared with, chosen from main at the branch cut (metadata only,
 * no Spark job). The rule, for a run of N days [start, end):
 *
 * <ol>
 *   <li>the days of the window itself that main already has (a re-run is compared with what it
 *       replaces);</li>
 *   <li>if those are fewer than N, the most recent days before the window that main has, reaching
 *       back across any gap (a dropped or never-run month is skipped, not used as an empty or
 *       one-day baseline), until N days are taken or main has no earlier day;</li>
 *   <li>no day before the window's end (a window older than anything published): the N earliest
 *       days after it;</li>
 *   <li>no day at all: the first publish; drift checks are SKIPPED and say so.</li>
 * </ol>
 *
 * The chosen days are always consecutive among main's days, so the baseline reads as one range
 * [first day, last day + 1) on main's snapshot.
 *
 * @param kind same_window, same_window_and_preceding_days, preceding_days, following_days or none
 * @param snapshotId main's snapshot at the branch cut, null when there is no baseline
 * @param start first day of the baseline (inclusive)
 * @param end day after its last day (exclusive)
 * @param days how many days of the range hold rows
 */
public record AuditBaseline(String kind, Long snapshotId, LocalDate start, LocalDate end, int days) {

  public static final String NONE = "none";

  public static AuditBaseline none() {
    return new AuditBaseline(NONE, null, null, null, 0);
  }

  public boolean exists() {
    return snapshotId != null;
  }

  /** Chooses the baseline of {@code run} (its base snapshot set) under the rule above. */
  public static AuditBaseline choose(FeatureViewDefinition view, BackfillRun run, Table table) {
    Long base = run.baseSnapshotId();
    if (base == null || table.snapshot(base) == null) {
      return none();
    }
    AuditBaseline chosen = choose(WindowScan.daysWithRowsBefore(table, base, view.eventTimestamp(), run.endDate()), base,
        run.startDate(), run.endDate());
    if (chosen.exists()) {
      return chosen;
    }
    return following(WindowScan.daysWithRowsFrom(table, base, view.eventTimestamp(), run.endDate()), base,
        run.startDate(), run.endDate());
  }

  /** The N earliest days after the window, for a window older than anything published. */
  static AuditBaseline following(SortedSet<LocalDate> laterDays, long snapshotId, LocalDate start, LocalDate end) {
    int wanted = (int) ChronoUnit.DAYS.between(start, end);
    List<LocalDate> chosen = new ArrayList<>(laterDays).subList(0, Math.min(wanted, laterDays.size()));
    if (chosen.isEmpty()) {
      return none();
    }
    return new AuditBaseline("following_days", snapshotId, chosen.get(0), chosen.get(chosen.size() - 1).plusDays(1),
        chosen.size());
  }

  /** The rule on the days main has before the window's end; separate so it is unit-tested without a table. */
  static AuditBaseline choose(SortedSet<LocalDate> mainDays, long snapshotId, LocalDate start, LocalDate end) {
    int wanted = (int) ChronoUnit.DAYS.between(start, end);
    List<LocalDate> newestFirst = new ArrayList<>(mainDays);
    java.util.Collections.reverse(newestFirst);
    List<LocalDate> chosen = newestFirst.subList(0, Math.min(wanted, newestFirst.size()));
    if (chosen.isEmpty()) {
      return none();
    }
    boolean inWindow = !chosen.get(0).isBefore(start);
    boolean before = chosen.get(chosen.size() - 1).isBefore(start);
    String kind = inWindow && before ? "same_window_and_preceding_days" : inWindow ? "same_window" : "preceding_days";
    LocalDate first = chosen.get(chosen.size() - 1);
    LocalDate last = chosen.get(0);
    return new AuditBaseline(kind, snapshotId, first, last.plusDays(1), chosen.size());
  }

  /** How a report names the baseline: "preceding days 2023-02-01..2023-02-28 (28 days, 140000 rows)". */
  public String describe(Long rows) {
    if (!exists()) {
      return "no baseline";
    }
    return String.format(Locale.ROOT, "%s baseline %s..%s (%d day%s%s)", kind.replace('_', ' '), start,
        end.minusDays(1), days, days == 1 ? "" : "s", rows == null ? "" : ", " + rows + " rows");
  }
}
