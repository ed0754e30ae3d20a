package io.featurelake.sqlcatalog.lineage;

import io.featurelake.sqlcatalog.lake.Lineage;
import java.time.LocalDate;
import java.util.Map;

/**
 * One commit on main that changed the data files of one day partition.
 *
 * @param partition the day
 * @param snapshotId the commit
 * @param committedAtMillis its commit time
 * @param operation Iceberg's operation (append, overwrite, replace, delete)
 * @param writer who made it
 * @param runId the platform run, when {@code writer} is {@link Writer#RUN}
 * @param addedFiles data files it added to the partition
 * @param removedFiles data files it removed from the partition
 * @param replacedPartition whether it replaced the whole partition (dynamic overwrite), so older
 *     commits no longer contribute rows
 * @param summary the snapshot summary
 */
public record PartitionEvent(LocalDate partition, long snapshotId, long committedAtMillis, String operation,
    Writer writer, Long runId, int addedFiles, int removedFiles, boolean replacedPartition, Map<String, String> summary) {

  /** Who made a commit, read from its summary. */
  public enum Writer {
    /** A backfill run of the platform ({@code featurelake.run-id}). */
    RUN,
    /** Maintenance rewrote files (compaction): same rows, new files. */
    COMPACTION,
    /** The demo event generator ({@code featurelake.generator.run-id}). */
    GENERATOR,
    /** Anything else: a plain INSERT/UPDATE/DELETE/MERGE by a user or another engine. */
    OUTSIDE
  }

  static Writer writerOf(String operation, Map<String, String> summary) {
    if ("replace".equals(operation)) {
      return Writer.COMPACTION;
    }
    if (summary.containsKey(Lineage.RUN_ID)) {
      return Writer.RUN;
    }
    if (summary.containsKey(Lineage.PREFIX + "generator.run-id")) {
      return Writer.GENERATOR;
    }
    return Writer.OUTSIDE;
  }

  /** Whether the commit brought rows (not a compaction that only moved them). */
  public boolean producesData() {
    return writer != Writer.COMPACTION && addedFiles > 0;
  }

  /** One phrase for people: "run 42", "compaction", "a write outside the platform". */
  public String describe() {
    return switch (writer) {
      case RUN -> "run " + runId + " (snapshot " + snapshotId + ")";
      case COMPACTION -> "compaction (snapshot " + snapshotId + ", same rows)";
      case GENERATOR -> "generate_events (snapshot " + snapshotId + ")";
      case OUTSIDE -> "a write outside the platform (snapshot " + snapshotId + ", " + operation + ")";
    };
  }
}
