package io.featurelake.gateway.maintenance;

import io.featurelake.gateway.errors.ConciseErrors;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maintenance's compaction step, and how a failure of maintenance is told in one line. */
final class Compaction {

  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);
  /** Compaction attempts when concurrent commits keep winning the race to main. */
  static final int ATTEMPTS = 3;

  private final SparkSession spark;
  /**
   * Called once compaction has read main and before it commits (test seam: a test commits to main
   * here to make compaction lose the race deterministically).
   */
  volatile Runnable started = () -> { };

  Compaction(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Compaction that yields to concurrent commits: a publish (or any writer) that commits to main
   * while compaction rewrites files it has read makes Iceberg refuse compaction's commit
   * ("Missing required files to delete"). Nothing is lost either way: the rewritten files were
   * not committed. Compaction then starts over from the new main, up to
   * {@link #ATTEMPTS} times; after that it is skipped for this maintenance, noted in
   * the report, and the other steps still run. Returns null when it was skipped.
   */
  RewriteDataFiles.Result run(String tableName, Table table, MaintenanceRequest request,
      Optional<SortOrder> sort, List<String> notes) {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      RewriteDataFiles action = SparkActions.get(spark).rewriteDataFiles(table)
          .option(RewriteDataFiles.TARGET_FILE_SIZE_BYTES, String.valueOf(request.targetFileSize()))
          // Two small files of a partition are worth merging; Iceberg's default waits for five.
          .option("min-input-files", "2");
      action = sort.isPresent() ? action.sort(sort.get()) : action.binPack();
      started.run();
      try {
        return action.execute();
      } catch (RuntimeException e) {
        if (commitRace(e) == null) {
          throw e;
        }
        table.refresh();
        String lost = "compaction attempt " + attempt + " lost a commit race to a concurrent commit on main (now main@"
            + table.currentSnapshot().snapshotId() + ")";
        LOG.warn("Maintenance of {}: {}: {}", tableName, lost, describe(e));
        if (attempt == ATTEMPTS) {
          notes.add(lost + "; compaction skipped after " + attempt + " attempts, nothing compacted (re-run maintenance)");
          return null;
        }
        notes.add(lost + ": retried");
      }
    }
  }

  /**
   * A failure in one short line. Iceberg's commit validation lists every file it missed (kilobytes
   * on one line), so a lost commit race is named as such instead of quoted.
   */
  static String describe(Throwable failure) {
    Throwable race = commitRace(failure);
    if (race != null) {
      return "lost a commit race to a concurrent commit on main (" + race.getClass().getSimpleName() + ": "
          + shorten(ConciseErrors.message(race).replaceFirst("^\\w+: ", ""), 120) + ")";
    }
    return shorten(ConciseErrors.message(failure), 300);
  }

  /** The commit conflict behind a failure, if that is what it was. */
  static Throwable commitRace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ValidationException || t instanceof CommitFailedException) {
        return t;
      }
    }
    return null;
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
