package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.runs.JobExecutor;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import java.time.OffsetDateTime;

/** The output row of job_status and cancel_job, and what an asynchronous call says about its job. */
final class JobRows {

  static final ProcedureParam JOB_ID = ProcedureParam.requiredLong("job_id", "The job (its id from sync_online or "
      + "run_maintenance with wait => false)");

  /** One job: the columns, declared once. */
  record Row(long jobId, @Required String kind, @Required String target, @Required String state, String step,
      long elapsedSeconds, Integer queuedAhead, boolean runningHere, String result, @Required String startedBy,
      @Required OffsetDateTime createdAt, OffsetDateTime stepAt, OffsetDateTime heartbeatAt, @Required String arguments,
      String message) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private JobRows() {}

  static Row row(PlatformJob j, JobExecutor here) {
    return new Row(j.jobId(), j.kind().label(), j.target(), j.state().name(), j.step(), j.elapsed().toSeconds(),
        here.queuePosition(j.jobId()).orElse(null), here.isRunningHere(j.jobId()), j.result(), j.startedBy(), j.createdAt(),
        j.stepAt(), j.heartbeatAt(), j.arguments(), j.message());
  }

  /** The message of a call that returned at once: the job's state and step, and how to follow it. */
  static String queued(PlatformJob j) {
    return "job " + j.jobId() + " " + j.state() + " (" + j.step() + "); follow it with CALL lake.platform.job_status(job_id => "
        + j.jobId() + "), stop it with CALL lake.platform.cancel_job(job_id => " + j.jobId() + ")";
  }
}
