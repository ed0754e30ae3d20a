package io.featurelake.gateway.maintenance;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.Duration;

/**
 * One maintenance request, checked when built.
 *
 * @param table           a table ({@code v}, {@code features.v}, {@code lake.raw.events}) or {@code all}
 *                        (every table of {@code lake.features})
 * @param olderThanDays   snapshots older than this many days may be expired; audit branches of
 *                        finished or abandoned runs older than this are removed
 * @param retainLast      newest snapshots of each branch always kept (at least 1)
 * @param targetFileSize  compaction's target data file size in bytes
 * @param sortByEntity    compaction sorts rows by the view's entity columns instead of bin-packing
 * @param dryRun          report only; change nothing
 * @param orphanAge       only files older than this are orphan candidates
 */
public record MaintenanceRequest(String table, int olderThanDays, int retainLast, long targetFileSize,
    boolean sortByEntity, boolean dryRun, Duration orphanAge) {

  public static final int DEFAULT_RETAIN_LAST = 1;
  public static final long DEFAULT_TARGET_FILE_SIZE = 128L << 20;
  /**
   * A file younger than this may belong to a commit still being written (a backfill writes its
   * files minutes before it commits them); deleting it would corrupt that commit.
   */
  public static final Duration MIN_ORPHAN_AGE = Duration.ofHours(24);
  static final long MIN_TARGET_FILE_SIZE = 1024;

  public MaintenanceRequest {
    if (table == null || table.isBlank()) {
      throw PlatformException.invalidArgument("table must not be empty (a table name or 'all')");
    }
    table = table.strip();
    if (olderThanDays < 0) {
      throw PlatformException.invalidArgument("older_than_days must be 0 or more, got %d", olderThanDays);
    }
    if (retainLast < 1) {
      throw PlatformException.invalidArgument("retain_last must be at least 1, got %d", retainLast);
    }
    if (targetFileSize < MIN_TARGET_FILE_SIZE) {
      throw PlatformException.invalidArgument("target_file_size must be at least 1KB, got %d bytes", targetFileSize);
    }
  }

  /** The door used by SQL and the script: the orphan safety age has a floor of 24 hours. */
  public static MaintenanceRequest of(String table, int olderThanDays, int retainLast, long targetFileSize,
      boolean sortByEntity, boolean dryRun, int orphanAgeHours) {
    if (orphanAgeHours < MIN_ORPHAN_AGE.toHours()) {
      throw PlatformException.invalidArgument("orphan_age_hours must be at least %d (files younger than that may belong "
          + "to a commit in progress), got %d", MIN_ORPHAN_AGE.toHours(), orphanAgeHours);
    }
    return new MaintenanceRequest(table, olderThanDays, retainLast, targetFileSize, sortByEntity, dryRun,
        Duration.ofHours(orphanAgeHours));
  }

  /** Parses a size argument ('128MB'); the error names the argument. */
  public static long parseSize(String argument, String text) {
    try {
      return FileSizes.parse(argument, text);
    } catch (IllegalArgumentException e) {
      throw PlatformException.invalidArgument("%s", e.getMessage());
    }
  }
}
