package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.List;
import java.util.Locale;

/** {@code CALL lake.platform.maintenance_reports([table => 'lake.features.v', limit => 20])}: newest first. */
public final class MaintenanceReportsProcedure extends PlatformProcedure {

  public static final String NAME = "maintenance_reports";

  static final ProcedureParam TABLE = ProcedureParam.optionalString("table", null,
      "Only reports of this table (lake.<namespace>.<table>, or a feature view name)");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many reports (1 to 10000)");

  public MaintenanceReportsProcedure() {
    super(NAME, List.of(TABLE, LIMIT), MaintenanceRows.OUTPUT, "Stored maintenance reports, newest first");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("%s: limit must be between 1 and 10000, got %d", args.procedure(), limit);
    }
    String table = args.string(TABLE);
    if (table != null) {
      table = table.strip().toLowerCase(Locale.ROOT);
      // A bare view name means its feature table, as in run_maintenance.
      table = table.contains(".") ? (table.startsWith("lake.") ? table : "lake." + table) : "lake.features." + table;
    }
    return ProcedureContext.maintenance().reports().list(table, limit).stream().map(MaintenanceRows::row).toList();
  }
}
