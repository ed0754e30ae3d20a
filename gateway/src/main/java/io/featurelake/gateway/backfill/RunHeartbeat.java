package io.featurelake.gateway.backfill;

import io.featurelake.sqlcatalog.process.Heartbeat;
import io.featurelake.sqlcatalog.runs.RunRepository;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.sql.SparkSession;

/**
 * A working run's proof of life: while a long step runs, its progress (elapsed time and the Spark
 * stages' task counts) is recorded every few seconds, so run_status shows it moving and the
 * abandonment rule sees a live owner.
 */
final class RunHeartbeat {

  /** How often a working run records its progress and proves it is alive. */
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final SparkSession spark;
  private final RunRepository runs;

  RunHeartbeat(SparkSession spark, RunRepository runs) {
    this.spark = spark;
    this.runs = runs;
  }

  /** Runs {@code work} while a heartbeat records the run's live progress every few seconds. */
  <T> T during(long runId, ProgressListener progress, String what, Callable<T> work) {
    long t0 = System.nanoTime();
    try (Heartbeat ignored = Heartbeat.start("featurelake-progress-" + runId, INTERVAL, () -> {
      String line = what + " running for " + (System.nanoTime() - t0) / 1_000_000_000 + " s" + stageProgress();
      runs.progress(runId, line);
      progress.onProgress(runId, line);
    })) {
      return work.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String stageProgress() {
    StringBuilder out = new StringBuilder();
    var tracker = spark.sparkContext().statusTracker();
    for (int stageId : tracker.getActiveStageIds()) {
      scala.Option<SparkStageInfo> info = tracker.getStageInfo(stageId);
      if (info.isDefined()) {
        out.append(String.format("; stage %d: %d/%d tasks", stageId, info.get().numCompletedTasks(), info.get().numTasks()));
      }
    }
    return out.toString();
  }
}
