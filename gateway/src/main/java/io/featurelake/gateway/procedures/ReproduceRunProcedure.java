package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import java.time.LocalDate;
import io.featurelake.gateway.lineage.PartitionComparison;
import io.featurelake.gateway.lineage.ReproduceResult;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CALL lake.platform.reproduce_run(run_id => 42)}: recompute a published run from its
 * stored definition and pinned inputs on a scratch branch and compare, per day partition, with
 * what it published and with main. One row per day; {@code verdict} is the overall answer.
 */
public final class ReproduceRunProcedure extends TypedProcedure<ReproduceRunProcedure.Row> {

  public static final String NAME = "reproduce_run";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "A PUBLISHED run");

  /** One day partition compared: the columns, declared once. */
  public record Row(long runId, @Required String verdict, @Required LocalDate partition, @Required String status,
      long recomputedRows, long publishedRows, Long mainRows, @Required String recomputedChecksum,
      @Required String publishedChecksum, String mainChecksum, @Required String scratchBranch, @Required String detail) {}

  private final ProcedureServices services;

  public ReproduceRunProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), RowSchema.of(Row.class),
        "Recompute a published run from its stored definition and pinned inputs; REPRODUCED or DIFFERS per partition");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    ReproduceResult result = services.reproduce().reproduce(args.longValue(RUN_ID));
    List<Row> rows = new ArrayList<>();
    for (PartitionComparison p : result.partitions()) {
      rows.add(new Row(result.runId(), result.verdict().name(), p.partition(), p.status().name(), p.recomputed().rows(),
          p.published().rows(), p.main() == null ? null : p.main().rows(), p.recomputed().checksum(),
          p.published().checksum(), p.main() == null ? null : p.main().checksum(), result.scratchBranch(), p.detail()));
    }
    return rows;
  }
}
