package io.featurelake.gateway.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/** Metadata-only questions about a day window of a day-partitioned table: no Spark job. */
public final class WindowScan {

  private WindowScan() {}

  /** Does the snapshot hold data files with rows whose {@code column} lies in [start, end)? */
  public static boolean hasRows(Table table, long snapshotId, String column, LocalDate start, LocalDate end) {
    Types.NestedField field = table.schema().findField(column);
    String suffix = "";
    if (field.type() instanceof Types.TimestampType ts) {
      suffix = ts.shouldAdjustToUTC() ? "T00:00:00+00:00" : "T00:00:00";
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId)
        .filter(Expressions.and(Expressions.greaterThanOrEqual(column, start + suffix), Expressions.lessThan(column, end + suffix)))
        .planFiles()) {
      for (FileScanTask task : tasks) {
        if (task.file().recordCount() > 0) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The days of [start, end) that hold rows in the snapshot, from one scan planning over the
   * table's day partitions (the partition value of a {@code day(column)} field is days since epoch).
   */
  public static java.util.SortedSet<LocalDate> daysWithRows(Table table, long snapshotId, String column, LocalDate start,
      LocalDate end) {
    String suffix = suffix(table, column);
    return days(table, snapshotId, column, start, end,
        Expressions.and(Expressions.greaterThanOrEqual(column, start + suffix), Expressions.lessThan(column, end + suffix)));
  }

  /** The days before {@code end} that hold rows in the snapshot, however far back (metadata only). */
  public static java.util.SortedSet<LocalDate> daysWithRowsBefore(Table table, long snapshotId, String column, LocalDate end) {
    return days(table, snapshotId, column, LocalDate.MIN, end, Expressions.lessThan(column, end + suffix(table, column)));
  }

  /** The days from {@code start} on that hold rows in the snapshot, however far ahead (metadata only). */
  public static java.util.SortedSet<LocalDate> daysWithRowsFrom(Table table, long snapshotId, String column, LocalDate start) {
    return days(table, snapshotId, column, start, LocalDate.MAX,
        Expressions.greaterThanOrEqual(column, start + suffix(table, column)));
  }

  /**
   * The data files holding the rows of [start, end) in the snapshot, path to record count (metadata
   * only): two snapshots with the same files hold the same rows there.
   */
  public static java.util.Map<String, Long> dataFiles(Table table, long snapshotId, String column, LocalDate start,
      LocalDate end) {
    String suffix = suffix(table, column);
    java.util.Map<String, Long> files = new java.util.TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).filter(Expressions.and(
        Expressions.greaterThanOrEqual(column, start + suffix), Expressions.lessThan(column, end + suffix))).planFiles()) {
      for (FileScanTask task : tasks) {
        if (task.file().recordCount() > 0) {
          files.put(task.file().location(), task.file().recordCount());
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String suffix(Table table, String column) {
    Types.NestedField field = table.schema().findField(column);
    if (field.type() instanceof Types.TimestampType ts) {
      return ts.shouldAdjustToUTC() ? "T00:00:00+00:00" : "T00:00:00";
    }
    return "";
  }

  private static java.util.SortedSet<LocalDate> days(Table table, long snapshotId, String column, LocalDate start,
      LocalDate end, org.apache.iceberg.expressions.Expression filter) {
    Types.NestedField field = table.schema().findField(column);
    java.util.SortedSet<LocalDate> days = new java.util.TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).filter(filter).planFiles()) {
      for (FileScanTask task : tasks) {
        if (task.file().recordCount() == 0) {
          continue;
        }
        org.apache.iceberg.PartitionSpec spec = table.specs().get(task.file().specId());
        for (int i = 0; i < spec.fields().size(); i++) {
          org.apache.iceberg.PartitionField pf = spec.fields().get(i);
          if (pf.sourceId() == field.fieldId() && pf.transform().toString().equals("day")) {
            Integer day = task.file().partition().get(i, Integer.class);
            if (day != null) {
              LocalDate d = LocalDate.ofEpochDay(day);
              if (!d.isBefore(start) && d.isBefore(end)) {
                days.add(d);
              }
            }
          }
        }
      }
      return days;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
