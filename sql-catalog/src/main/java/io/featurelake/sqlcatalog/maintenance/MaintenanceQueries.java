package io.featurelake.sqlcatalog.maintenance;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import javax.sql.DataSource;

/** Stored maintenance reports. */
public final class MaintenanceQueries {

  private final MaintenanceReportRepository reports;

  public MaintenanceQueries(DataSource db) {
    this.reports = new MaintenanceReportRepository(db);
  }

  /**
   * Reports, newest first; of one table when {@code tableOrNull} is set: {@code lake.ns.t},
   * {@code ns.t}, or a bare feature view name meaning its feature table (as run_maintenance reads it).
   */
  public Page<MaintenanceReport> reports(String tableOrNull, PageRequest page) {
    String table = null;
    if (tableOrNull != null) {
      TableName name = TableName.parseViewOrTable(tableOrNull);
      if (name == null) {
        throw PlatformException.invalidArgument("table must be a feature view name, 'namespace.table' or "
            + "'lake.namespace.table', got '%s'", tableOrNull);
      }
      table = name.qualified();
    }
    return reports.page(table, page);
  }
}
