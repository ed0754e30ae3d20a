package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.cancel_job(job_id => 3)}: stops a job of this gateway (its Spark jobs
 * are cancelled, its work stops at its next step); it ends FAILED "cancelled by &lt;user&gt;; ...".
 * A sync's cursor does not move; maintenance keeps the steps it committed. Returns the job once
 * its work stopped (at most a minute later).
 */
public final class CancelJobProcedure extends TypedProcedure<JobRows.Row> {

  public static final String NAME = "cancel_job";

  private final ProcedureServices services;

  public CancelJobProcedure(ProcedureServices services) {
    super(NAME, List.of(JobRows.JOB_ID), JobRows.SCHEMA, "Cancel an asynchronous sync or maintenance");
    this.services = services;
  }

  @Override
  protected List<JobRows.Row> rows(ProcedureArgs args) {
    return List.of(JobRows.row(services.jobs().cancel(args.longValue(JobRows.JOB_ID), services.user()), services.jobs()));
  }
}
