package io.featurelake.sqlcatalog.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Audit reports with their checks and metrics, in the catalog database. */
public final class AuditReportRepository {

  private final DataSource db;

  public AuditReportRepository(DataSource db) {
    this.db = db;
  }

  /** Stores the report (its reportId and createdAt are ignored) and returns it as stored. */
  public AuditReport save(AuditReport report) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_reports (run_id, table_name, snapshot_id, "
          + "baseline_kind, baseline_snapshot_id, baseline_start, baseline_end, row_count, baseline_row_count, verdict, "
          + "failed_checks, created_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        int i = 0;
        ps.setLong(++i, report.runId());
        ps.setString(++i, report.tableName());
        ps.setLong(++i, report.snapshotId());
        ps.setString(++i, report.baselineKind());
        setLong(ps, ++i, report.baselineSnapshotId());
        ps.setObject(++i, report.baselineStart());
        ps.setObject(++i, report.baselineEnd());
        ps.setLong(++i, report.rowCount());
        setLong(ps, ++i, report.baselineRowCount());
        ps.setString(++i, report.verdict());
        ps.setInt(++i, (int) report.checks().stream().filter(ch -> !ch.passed()).count());
        ps.setObject(++i, OffsetDateTime.now(ZoneOffset.UTC));
        ps.setLong(++i, report.durationMs());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checks (report_id, position, check_name, "
          + "column_name, observed, threshold, passed, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        int position = 0;
        for (AuditCheck check : report.checks()) {
          ps.setLong(1, id);
          ps.setInt(2, ++position);
          ps.setString(3, check.name());
          ps.setString(4, check.column());
          setDouble(ps, 5, check.observed());
          setDouble(ps, 6, check.threshold());
          ps.setBoolean(7, check.passed());
          ps.setString(8, check.detail());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_metrics (report_id, side, column_name, metric, "
          + "metric_value) VALUES (?, ?, ?, ?, ?)")) {
        for (AuditMetric metric : report.metrics()) {
          ps.setLong(1, id);
          ps.setString(2, metric.side());
          ps.setString(3, metric.column());
          ps.setString(4, metric.metric());
          setDouble(ps, 5, metric.value());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      return find(id).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot store the audit report of run " + report.runId() + ": " + e.getMessage(), e);
    }
  }

  public Optional<AuditReport> find(long reportId) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_reports WHERE report_id = ?")) {
      ps.setLong(1, reportId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new AuditReport(rs.getLong("report_id"), rs.getLong("run_id"), rs.getString("table_name"),
            rs.getLong("snapshot_id"), rs.getString("baseline_kind"), nullableLong(rs, "baseline_snapshot_id"),
            rs.getObject("baseline_start", LocalDate.class), rs.getObject("baseline_end", LocalDate.class),
            rs.getLong("row_count"), nullableLong(rs, "baseline_row_count"), "PASSED".equals(rs.getString("verdict")),
            rs.getInt("failed_checks"), rs.getObject("created_at", OffsetDateTime.class), rs.getLong("duration_ms"),
            checks(c, reportId), metrics(c, reportId), rs.getString("override_by"), rs.getString("override_reason")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read audit report " + reportId + ": " + e.getMessage(), e);
    }
  }

  /** Records that a person published the FAILED report's run anyway, and why. */
  public void recordOverride(long reportId, String by, String reason) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE audit_reports SET override_by = ?, override_reason = ?, "
             + "overridden_at = ? WHERE report_id = ?")) {
      ps.setString(1, by);
      ps.setString(2, reason);
      ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
      ps.setLong(4, reportId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record the override of audit report " + reportId + ": " + e.getMessage(), e);
    }
  }

  /** Reports of a run, newest first. */
  public List<Long> reportIdsOfRun(long runId) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT report_id FROM audit_reports WHERE run_id = ? ORDER BY report_id DESC")) {
      ps.setLong(1, runId);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot list audit reports of run " + runId + ": " + e.getMessage(), e);
    }
  }

  private static List<AuditCheck> checks(Connection c, long reportId) throws SQLException {
    List<AuditCheck> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_checks WHERE report_id = ? ORDER BY position")) {
      ps.setLong(1, reportId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditCheck(rs.getString("check_name"), rs.getString("column_name"), nullableDouble(rs, "observed"),
              nullableDouble(rs, "threshold"), rs.getBoolean("passed"), rs.getString("detail")));
        }
      }
    }
    return out;
  }

  private static List<AuditMetric> metrics(Connection c, long reportId) throws SQLException {
    List<AuditMetric> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT * FROM audit_metrics WHERE report_id = ? ORDER BY side DESC, column_name, metric")) {
      ps.setLong(1, reportId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditMetric(rs.getString("side"), rs.getString("column_name"), rs.getString("metric"),
              nullableDouble(rs, "metric_value")));
        }
      }
    }
    return out;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null || v.isNaN() || v.isInfinite()) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
