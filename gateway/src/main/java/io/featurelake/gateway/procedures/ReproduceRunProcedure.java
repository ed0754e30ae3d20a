package io.featurelake.gateway.procedures;

import io.featurelake.gateway.lineage.PartitionComparison;
import io.featurelake.gateway.lineage.ReproduceResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.reproduce_run(run_id => 42)}: recompute a published run from its
 * stored definition and pinned inputs on a scratch branch and compare, per day partition, with
 * what it published and with main. One row per day; {@code verdict} is the overall answer.
 */
public final class ReproduceRunProcedure extends PlatformProcedure {

  public static final String NAME = "reproduce_run";

  static final ProcedureParam RUN_ID = ProcedureParam.requiredLong("run_id", "A PUBLISHED run");

  private static final StructType OUTPUT = new StructType()
      .add("run_id", DataTypes.LongType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("partition", DataTypes.DateType, false)
      .add("status", DataTypes.StringType, false)
      .add("recomputed_rows", DataTypes.LongType, false)
      .add("published_rows", DataTypes.LongType, false)
      .add("main_rows", DataTypes.LongType, true)
      .add("recomputed_checksum", DataTypes.StringType, false)
      .add("published_checksum", DataTypes.StringType, false)
      .add("main_checksum", DataTypes.StringType, true)
      .add("scratch_branch", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, false);

  private final ProcedureServices services;

  public ReproduceRunProcedure(ProcedureServices services) {
    super(NAME, List.of(RUN_ID), OUTPUT,
        "Recompute a published run from its stored definition and pinned inputs; REPRODUCED or DIFFERS per partition");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    ReproduceResult result = services.reproduce().reproduce(args.longValue(RUN_ID));
    List<Object[]> rows = new ArrayList<>();
    for (PartitionComparison p : result.partitions()) {
      rows.add(new Object[] {result.runId(), result.verdict().name(), (int) p.partition().toEpochDay(), p.status().name(),
          p.recomputed().rows(), p.published().rows(), p.main() == null ? null : p.main().rows(),
          p.recomputed().checksum(), p.published().checksum(), p.main() == null ? null : p.main().checksum(),
          result.scratchBranch(), p.detail()});
    }
    return rows;
  }
}
