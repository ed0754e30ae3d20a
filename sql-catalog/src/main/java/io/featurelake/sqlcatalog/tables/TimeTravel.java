package io.featurelake.sqlcatalog.tables;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Checks a time-travel target before Iceberg resolves it, so that a wrong form or a target that
 * is gone fails with one line that says what to write, not with Iceberg's
 * "Cannot find matching snapshot ID or reference name for version ...".
 */
public final class TimeTravel {

  /** A date or timestamp literal as users write them: 2023-01-01, 2023-01-01 10:00[:00[.123]], ISO 'T', zone. */
  private static final Pattern TIMESTAMP = Pattern.compile(
      "\\d{4}-\\d{1,2}-\\d{1,2}([ T]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?)?\\s*(Z|UTC|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern SNAPSHOT_ID = Pattern.compile("-?\\d+");
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private TimeTravel() {}

  /**
   * {@code FOR SYSTEM_VERSION AS OF '2023-01-01 10:00:00'} (the form the SQL standard and our
   * product brief use) is read as a time when {@code version} is not a tag or branch name and
   * looks like a timestamp; the engine then parses it in the session time zone. A snapshot id, a
   * ref name or a typo is left to {@link #checkVersion}.
   */
  public static boolean isTimeVersion(Table table, String version) {
    return !table.refs().containsKey(version) && TIMESTAMP.matcher(version.strip()).matches();
  }

  /**
   * Checks {@code VERSION AS OF <version>} / {@code FOR SYSTEM_VERSION AS OF <version>}: a snapshot
   * id that still exists, or the name of a tag or branch (a valid timestamp was already read as a
   * time by {@link #versionAsTime}).
   */
  public static void checkVersion(String tableName, Table table, String version, javax.sql.DataSource catalogOrNull) {
    Map<String, SnapshotRef> refs = table.refs();
    if (refs.containsKey(version)) {
      return;
    }
    String trimmed = version.strip();
    if (SNAPSHOT_ID.matcher(trimmed).matches()) {
      long id;
      try {
        id = Long.parseLong(trimmed);
      } catch (NumberFormatException tooLong) {
        throw unknownRef(tableName, refs, version, catalogOrNull);
      }
      if (table.snapshot(id) == null) {
        throw new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no snapshot %d: it was expired by "
            + "maintenance (expire_snapshots) or never existed; %s. Tags keep their snapshots: VERSION AS OF 'run_<id>'",
            tableName, id, oldestKept(table)));
      }
      return;
    }
    if (TIMESTAMP.matcher(trimmed).matches()) {
      throw new PlatformException(ErrorCode.TIME_TRAVEL_FORM, String.format("'%s' looks like a timestamp but is not a "
          + "valid one; VERSION AS OF takes a snapshot id, a tag/branch name or a time like '2023-01-01 10:00:00'",
          version));
    }
    throw unknownRef(tableName, refs, version, catalogOrNull);
  }

  /** Checks {@code TIMESTAMP AS OF} / {@code FOR SYSTEM_TIME AS OF}: main must have a snapshot at or before it. */
  public static void checkTimestamp(String tableName, Table table, long timestampMicros, ZoneId zone) {
    long millis = Math.floorDiv(timestampMicros, 1000L);
    List<HistoryEntry> history = table.history();
    if (history.isEmpty()) {
      throw new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no snapshot at all yet, so nothing to "
          + "read as of %s", tableName, show(millis, zone)));
    }
    HistoryEntry first = history.get(0);
    if (millis < first.timestampMillis()) {
      throw new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no snapshot at or before %s (its first "
          + "snapshot, %d, is at %s)", tableName, show(millis, zone), first.snapshotId(),
          show(first.timestampMillis(), zone)));
    }
  }

  private static PlatformException unknownRef(String tableName, Map<String, SnapshotRef> refs, String version,
      javax.sql.DataSource catalogOrNull) {
    String dropped = catalogOrNull == null ? null : droppedRun(version, catalogOrNull);
    if (dropped != null) {
      return new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no tag '%s': %s", tableName, version, dropped));
    }
    Map<String, SnapshotRef> sorted = new TreeMap<>(refs);
    String tags = sorted.entrySet().stream().filter(e -> e.getValue().isTag()).map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
    String branches = sorted.entrySet().stream().filter(e -> e.getValue().isBranch()).map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
    return new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no tag or branch '%s' (tags: %s; "
        + "branches: %s); VERSION AS OF takes a snapshot id, a tag or a branch name", tableName, version,
        tags.isEmpty() ? "none" : tags, branches));
  }

  /** For {@code run_<id>} of a run that never published: what happened to it, from the catalog database. */
  private static String droppedRun(String version, javax.sql.DataSource catalog) {
    java.util.regex.Matcher m = Pattern.compile("run_(\\d{1,18})").matcher(version.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      long id = Long.parseLong(m.group(1));
      return new io.featurelake.sqlcatalog.runs.RunRepository(catalog).find(id)
          .filter(run -> run.state() != io.featurelake.sqlcatalog.runs.RunState.PUBLISHED)
          .map(run -> "run " + id + " was never published, it is " + run.state()
              + (run.state() == io.featurelake.sqlcatalog.runs.RunState.DROPPED ? " (its branch was removed)" : "")
              + (run.message() == null ? "" : ": " + run.message())
              + (run.state() == io.featurelake.sqlcatalog.runs.RunState.FAILED && run.branchExpiresAt() != null
                  ? "; its rows are on branch " + run.branch() + " until " + run.branchExpiresAt().withNano(0) : ""))
          .orElse(null);
    } catch (RuntimeException noCatalog) {
      return null; // the catalog database is unreachable: the plain message will do
    }
  }

  private static String oldestKept(Table table) {
    Snapshot oldest = null;
    for (Snapshot s : table.snapshots()) {
      if (oldest == null || s.timestampMillis() < oldest.timestampMillis()) {
        oldest = s;
      }
    }
    return oldest == null ? "it has no snapshot left" : "the oldest snapshot kept is " + oldest.snapshotId()
        + " (" + show(oldest.timestampMillis(), ZoneId.of("UTC")) + " UTC)";
  }

  static String show(long millis, ZoneId zone) {
    return SHOWN.format(Instant.ofEpochMilli(millis).atZone(zone)) + " " + zone.getId();
  }
}
