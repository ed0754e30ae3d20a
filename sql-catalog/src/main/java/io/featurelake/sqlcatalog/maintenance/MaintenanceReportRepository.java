package io.featurelake.sqlcatalog.maintenance;

import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** Stored maintenance reports, newest first when read. */
public final class MaintenanceReportRepository {

  private static final String COLUMNS = "table_name, dry_run, data_files_before, data_files_after, data_bytes_before, "
      + "data_bytes_after, manifests_before, manifests_after, snapshots_before, snapshots_after, snapshots_expired, "
      + "orphans_removed, orphan_bytes, branches_removed, rewritten_files, added_files, duration_ms, started_at, message";

  private final DataSource db;

  public MaintenanceReportRepository(DataSource db) {
    this.db = db;
  }

  public MaintenanceReport save(MaintenanceReport r) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO maintenance_reports (" + COLUMNS
             + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      int i = 1;
      ps.setString(i++, r.tableName());
      ps.setBoolean(i++, r.dryRun());
      for (long v : new long[] {r.dataFilesBefore(), r.dataFilesAfter(), r.dataBytesBefore(), r.dataBytesAfter(),
          r.manifestsBefore(), r.manifestsAfter(), r.snapshotsBefore(), r.snapshotsAfter(), r.snapshotsExpired(),
          r.orphansRemoved(), r.orphanBytes()}) {
        ps.setLong(i++, v);
      }
      ps.setString(i++, String.join(",", r.branchesRemoved()));
      ps.setLong(i++, r.rewrittenFiles());
      ps.setLong(i++, r.addedFiles());
      ps.setLong(i++, r.durationMs());
      ps.setObject(i++, r.startedAt());
      ps.setString(i, r.message());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return r.withId(keys.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot store the maintenance report of " + r.tableName() + ": " + e.getMessage(), e);
    }
  }

  /** Reports of one table (or of all when null), newest first. */
  public List<MaintenanceReport> list(String tableNameOrNull, int limit) {
    String sql = "SELECT report_id, " + COLUMNS + " FROM maintenance_reports"
        + (tableNameOrNull == null ? "" : " WHERE table_name = ?") + " ORDER BY report_id DESC";
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (tableNameOrNull != null) {
        ps.setString(1, tableNameOrNull);
      }
      ps.setMaxRows(limit);
      List<MaintenanceReport> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reportOf(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read maintenance reports: " + e.getMessage(), e);
    }
  }

  /** One page of reports of one table (of all when null), newest first. */
  public Page<MaintenanceReport> page(String tableNameOrNull, PageRequest page) {
    try {
      return PagedSql.page(db, "SELECT report_id, " + COLUMNS,
          "FROM maintenance_reports" + (tableNameOrNull == null ? "" : " WHERE table_name = ?"),
          tableNameOrNull == null ? List.of() : List.of(tableNameOrNull), "ORDER BY report_id DESC", page,
          MaintenanceReportRepository::reportOf);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read maintenance reports: " + e.getMessage(), e);
    }
  }

  private static MaintenanceReport reportOf(ResultSet rs) throws SQLException {
    {
      {
          String branches = rs.getString("branches_removed");
          return new MaintenanceReport(rs.getLong("report_id"), rs.getString("table_name"), rs.getBoolean("dry_run"),
              rs.getLong("data_files_before"), rs.getLong("data_files_after"), rs.getLong("data_bytes_before"),
              rs.getLong("data_bytes_after"), rs.getLong("manifests_before"), rs.getLong("manifests_after"),
              rs.getLong("snapshots_before"), rs.getLong("snapshots_after"), rs.getLong("snapshots_expired"),
              rs.getLong("orphans_removed"), rs.getLong("orphan_bytes"),
              branches.isEmpty() ? List.of() : Arrays.asList(branches.split(",")), rs.getLong("rewritten_files"),
              rs.getLong("added_files"), rs.getLong("duration_ms"), rs.getObject("started_at", OffsetDateTime.class),
              rs.getString("message"));
      }
    }
  }
}
