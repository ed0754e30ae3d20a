package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.audit.AlertRepository;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.time.OffsetDateTime;

/**
 * {@code CALL lake.platform.alerts([feature_view => 'v', kind => 'AUDIT_FAILED', limit => 20])}:
 * the alert log, newest first: failed audits, refused publishes, failed or abandoned syncs,
 * failed maintenance, and overrides of failed audits, each with the view's owner.
 */
public final class AlertsProcedure extends TypedProcedure<AlertsProcedure.Row> {

  public static final String NAME = "alerts";
  static final Set<String> KINDS = Set.of("AUDIT_FAILED", "AUDIT_OVERRIDE", "PUBLISH_REFUSED", "SYNC_FAILED",
      "MAINTENANCE_FAILED");

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only alerts of this view");
  static final ProcedureParam KIND = ProcedureParam.optionalString("kind", null,
      "Only alerts of this kind: AUDIT_FAILED, AUDIT_OVERRIDE, PUBLISH_REFUSED, SYNC_FAILED, MAINTENANCE_FAILED");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many alerts (1 to 10000)");

  /** One alert: the columns, declared once. */
  public record Row(long alertId, @Required OffsetDateTime createdAt, @Required String kind, String featureView,
      String owner, Long runId, @Required String message, String webhookStatus) {}

  private final ProcedureServices services;

  public AlertsProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, KIND, LIMIT), RowSchema.of(Row.class), "The alert log, newest first");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
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
        .stream().map(a -> new Row(a.alertId(), a.createdAt(), a.kind(), a.featureView(), a.owner(), a.runId(),
            a.message(), a.webhookStatus())).toList();
  }
}
