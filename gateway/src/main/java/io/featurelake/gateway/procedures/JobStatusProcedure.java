package io.featurelake.gateway.procedures;

import java.util.List;

/**
 * {@code CALL lake.platform.job_status(job_id => 3)}: where a {@code sync_online} or
 * {@code run_maintenance} started with {@code wait => false} stands: state, step (its queue place
 * while PENDING, the Spark stage progress while it works), elapsed time, what it produced. A job
 * whose gateway is gone is marked FAILED ("abandoned: ...") first.
 */
public final class JobStatusProcedure extends TypedProcedure<JobRows.Row> {

  public static final String NAME = "job_status";

  private final ProcedureServices services;

  public JobStatusProcedure(ProcedureServices services) {
    super(NAME, List.of(JobRows.JOB_ID), JobRows.SCHEMA, "State, current step and result of an asynchronous sync or maintenance");
    this.services = services;
  }

  @Override
  protected List<JobRows.Row> rows(ProcedureArgs args) {
    return List.of(JobRows.row(services.core().jobs().get(args.longValue(JobRows.JOB_ID)), services.jobs()));
  }
}
