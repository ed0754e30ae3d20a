package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.paging.PageRequest;
import java.util.List;

/** {@code CALL lake.platform.maintenance_reports([table => 'lake.features.v', limit => 20])}: newest first. */
public final class MaintenanceReportsProcedure extends TypedProcedure<MaintenanceRows.Row> {

  public static final String NAME = "maintenance_reports";

  static final ProcedureParam TABLE = ProcedureParam.optionalString("table", null,
      "Only reports of this table (lake.<namespace>.<table>, or a feature view name)");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many reports (1 to 10000)");

  private final ProcedureServices services;

  public MaintenanceReportsProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE, LIMIT), MaintenanceRows.SCHEMA, "Stored maintenance reports, newest first");
    this.services = services;
  }

  @Override
  protected List<MaintenanceRows.Row> rows(ProcedureArgs args) {
    PageRequest page = PageRequest.of(args.procedure(), 0, args.intValue(LIMIT));
    return services.core().maintenance().reports(args.string(TABLE), page).items().stream()
        .map(MaintenanceRows::row).toList();
  }
}
