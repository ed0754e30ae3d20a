package io.featurelake.gateway.procedures;

import io.featurelake.gateway.training.RebuildResult;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.rebuild_training_set(name => 'churn')}: recompute a training set
 * from its manifest alone and compare it row for row with the stored one.
 */
public final class RebuildTrainingSetProcedure extends PlatformProcedure {

  public static final String NAME = "rebuild_training_set";

  static final ProcedureParam NAME_ARG = ProcedureParam.requiredString("name", "A training set built before");

  private static final StructType OUTPUT = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("verdict", DataTypes.StringType, false)
      .add("stored_rows", DataTypes.LongType, false)
      .add("rebuilt_rows", DataTypes.LongType, false)
      .add("differing_rows", DataTypes.LongType, false)
      .add("extra_rows", DataTypes.LongType, false)
      .add("detail", DataTypes.StringType, false);

  private final ProcedureServices services;

  public RebuildTrainingSetProcedure(ProcedureServices services) {
    super(NAME, List.of(NAME_ARG), OUTPUT, "Rebuild a training set from its manifest; IDENTICAL or DIFFERS");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    RebuildResult r = services.trainingSets().rebuild(args.nonBlankString(NAME_ARG));
    return List.<Object[]>of(new Object[] {r.name(), r.verdict().name(), r.storedRows(), r.rebuiltRows(), r.differingRows(),
        r.extraRows(), r.detail()});
  }
}
