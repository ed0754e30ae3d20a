package io.featurelake.gateway.procedures;

import io.featurelake.gateway.online.VerifyResult;
import io.featurelake.gateway.online.VerifyService;
import io.featurelake.gateway.session.Platform;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.verify_online(feature_view => 'v' [, sample => n])}: Redis against main. */
public final class VerifyOnlineProcedure extends PlatformProcedure {

  public static final String NAME = "verify_online";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam SAMPLE = ProcedureParam.optionalLong("sample", null,
      "Check this many random entities instead of all of them");

  static final StructType OUTPUT = new StructType()
      .add("feature_view", DataTypes.StringType, false)
      .add("snapshot_id", DataTypes.LongType, false)
      .add("sampled", DataTypes.BooleanType, false)
      .add("checked", DataTypes.LongType, false)
      .add("matching", DataTypes.LongType, false)
      .add("missing", DataTypes.LongType, false)
      .add("stale", DataTypes.LongType, false)
      .add("extra", DataTypes.LongType, false)
      .add("redis_keys", DataTypes.LongType, false)
      .add("seconds", DataTypes.DoubleType, false);

  private final ProcedureServices services;

  public VerifyOnlineProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, SAMPLE), OUTPUT, "Compare Redis with the latest row per entity on main");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    VerifyResult r = new VerifyService(services.spark(), services.platform())
        .verify(args.nonBlankString(FEATURE_VIEW), args.longValue(SAMPLE));
    return List.<Object[]>of(new Object[] {r.featureView(), r.snapshotId(), r.sampled(), r.checked(), r.matching(),
        r.missing(), r.stale(), r.extra(), r.redisKeys(), r.seconds()});
  }
}
