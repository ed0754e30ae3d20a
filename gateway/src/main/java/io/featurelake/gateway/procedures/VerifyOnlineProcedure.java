package io.featurelake.gateway.procedures;

import io.featurelake.gateway.online.VerifyResult;
import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.online.VerifyService;
import io.featurelake.gateway.session.Platform;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code CALL lake.platform.verify_online(feature_view => 'v' [, sample => n])}: Redis against main. */
public final class VerifyOnlineProcedure extends TypedProcedure<VerifyOnlineProcedure.Row> {

  public static final String NAME = "verify_online";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.requiredString("feature_view", "Feature view name");
  static final ProcedureParam SAMPLE = ProcedureParam.optionalLong("sample", null,
      "Check this many random entities instead of all of them");

  /** The comparison: the columns, declared once. */
  public record Row(@Required String featureView, long snapshotId, boolean sampled, long checked, long matching,
      long missing, long stale, long extra, long redisKeys, double seconds) {}

  private final ProcedureServices services;

  public VerifyOnlineProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, SAMPLE), RowSchema.of(Row.class), "Compare Redis with the latest row per entity on main");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    VerifyResult r = new VerifyService(services.spark(), services.platform())
        .verify(args.nonBlankString(FEATURE_VIEW), args.longValue(SAMPLE));
    return List.of(new Row(r.featureView(), r.snapshotId(), r.sampled(), r.checked(), r.matching(), r.missing(), r.stale(),
        r.extra(), r.redisKeys(), r.seconds()));
  }
}
