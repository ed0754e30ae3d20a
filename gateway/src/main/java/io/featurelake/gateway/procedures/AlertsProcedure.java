package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.audit.AlertRepository;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.alerts([feature_view => 'v', kind => 'AUDIT_FAILED', limit => 20])}:
 * the alert log, newest first: failed audits, refused publishes, failed or abandoned syncs,
 * failed maintenance, and overrides of failed audits, each with the view's owner.
 */
public final class AlertsProcedure extends PlatformProcedure {

  public static final String NAME = "alerts";
  static final Set<String> KINDS = Set.of("AUDIT_FAILED", "AUDIT_OVERRIDE", "PUBLISH_REFUSED", "SYNC_FAILED",
      "MAINTENANCE_FAILED");

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only alerts of this view");
  static final ProcedureParam KIND = ProcedureParam.optionalString("kind", null,
      "Only alerts of this kind: AUDIT_FAILED, AUDIT_OVERRIDE, PUBLISH_REFUSED, SYNC_FAILED, MAINTENANCE_FAILED");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many alerts (1 to 10000)");

  private static final StructType OUTPUT = new StructType()
      .add("alert_id", DataTypes.LongType, false)
      .add("created_at", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("feature_view", DataTypes.StringType, true)
      .add("owner", DataTypes.StringType, true)
      .add("run_id", DataTypes.LongType, true)
      .add("message", DataTypes.StringType, false)
      .add("webhook_status", DataTypes.StringType, true);

  private final ProcedureServices services;

  public AlertsProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, KIND, LIMIT), OUTPUT, "The alert log, newest first");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("%s: limit must be between 1 and 10000, got %d", args.procedure(), limit);
    }
    String kind = args.string(KIND);
    if (kind != null) {
      kind = kind.strip().toUpperCase(Locale.ROOT);
      if (!KINDS.contains(kind)) {
        throw PlatformException.invalidArgument("%s: kind must be one of %s, got '%s'", args.procedure(),
            KINDS.stream().sorted().toList(), args.string(KIND));
      }
    }
    String view = args.string(FEATURE_VIEW);
    return new AlertRepository(services.platform().catalogDatabase()).recent(view == null ? null : view.strip(), kind, limit)
        .stream().map(a -> new Object[] {a.alertId(), a.createdAt().toString(), a.kind(), a.featureView(), a.owner(),
            a.runId(), a.message(), a.webhookStatus()}).toList();
  }
}
