package io.featurelake.gateway.session;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;

/** What Spark is doing for one job group (a run's, a job's, a statement's). */
public final class SparkJobGroups {

  private SparkJobGroups() {}

  /** The stages of the group's jobs that have tasks running now. */
  public static List<SparkStageInfo> activeStages(SparkContext context, String group) {
    List<SparkStageInfo> out = new ArrayList<>();
    SparkStatusTracker tracker = context.statusTracker();
    for (int jobId : tracker.getJobIdsForGroup(group)) {
      scala.Option<SparkJobInfo> job = tracker.getJobInfo(jobId);
      if (job.isEmpty()) {
        continue;
      }
      for (int stageId : job.get().stageIds()) {
        scala.Option<SparkStageInfo> stage = tracker.getStageInfo(stageId);
        if (stage.isDefined() && stage.get().numActiveTasks() > 0) {
          out.add(stage.get());
        }
      }
    }
    return out;
  }
}
