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
   * Checks {@code VERSION AS OF <version>} / {@code FOR SYSTEM_VERSION AS OF <version>}: a snapshot
   * id that still exists, or the name of a tag or branch.
   */
  public static void checkVersion(String tableName, Table table, String version) {
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
        throw unknownRef(tableName, refs, version);
      }
      if (table.snapshot(id) == null) {
        throw new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no snapshot %d: it was expired by "
            + "maintenance (expire_snapshots) or never existed; %s. Tags keep their snapshots: VERSION AS OF 'run_<id>'",
            tableName, id, oldestKept(table)));
      }
      return;
    }
    if (TIMESTAMP.matcher(trimmed).matches()) {
      throw new PlatformException(ErrorCode.TIME_TRAVEL_FORM, String.format("'%s' is a timestamp; VERSION AS OF "
          + "(and FOR SYSTEM_VERSION AS OF) takes a snapshot id or a tag/branch name. Write: FOR SYSTEM_TIME AS OF '%s' "
          + "(or TIMESTAMP AS OF '%s')", version, version, version));
    }
    throw unknownRef(tableName, refs, version);
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

  private static PlatformException unknownRef(String tableName, Map<String, SnapshotRef> refs, String version) {
    Map<String, SnapshotRef> sorted = new TreeMap<>(refs);
    String tags = sorted.entrySet().stream().filter(e -> e.getValue().isTag()).map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
    String branches = sorted.entrySet().stream().filter(e -> e.getValue().isBranch()).map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
    return new PlatformException(ErrorCode.NOT_FOUND, String.format("%s has no tag or branch '%s' (tags: %s; "
        + "branches: %s); VERSION AS OF takes a snapshot id, a tag or a branch name", tableName, version,
        tags.isEmpty() ? "none" : tags, branches));
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
