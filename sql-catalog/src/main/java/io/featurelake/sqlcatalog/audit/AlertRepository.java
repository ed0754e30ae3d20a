package io.featurelake.sqlcatalog.audit;

import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Alerts raised by failed audits and runs, with the outcome of their webhook delivery. */
public final class AlertRepository {

  /** A stored alert. */
  public record Alert(long alertId, Long runId, String kind, String message, String payload, String webhookUrl,
      String webhookStatus, OffsetDateTime createdAt) {}

  private final DataSource db;

  public AlertRepository(DataSource db) {
    this.db = db;
  }

  public long record(Long runId, String kind, String message, String payload, String webhookUrl) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (run_id, kind, message, payload, webhook_url, "
             + "webhook_status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      if (runId == null) {
        ps.setNull(1, Types.BIGINT);
      } else {
        ps.setLong(1, runId);
      }
      ps.setString(2, kind);
      ps.setString(3, message);
      ps.setString(4, payload);
      ps.setString(5, webhookUrl);
      ps.setString(6, webhookUrl == null ? "not configured" : "pending");
      ps.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record alert for run " + runId + ": " + e.getMessage(), e);
    }
  }

  public void webhookStatus(long alertId, String status) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE alerts SET webhook_status = ? WHERE alert_id = ?")) {
      ps.setString(1, status);
      ps.setLong(2, alertId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot update alert " + alertId + ": " + e.getMessage(), e);
    }
  }

  /** One page of alerts, newest first; {@code runId} null = of every run. */
  public Page<Alert> page(Long runId, PageRequest page) {
    try {
      return PagedSql.page(db, "SELECT *", "FROM alerts" + (runId == null ? "" : " WHERE run_id = ?"),
          runId == null ? List.of() : List.of(runId), "ORDER BY alert_id DESC", page, AlertRepository::alertOf);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read alerts: " + e.getMessage(), e);
    }
  }

  private static Alert alertOf(ResultSet rs) throws SQLException {
    long run = rs.getLong("run_id");
    return new Alert(rs.getLong("alert_id"), rs.wasNull() ? null : run, rs.getString("kind"), rs.getString("message"),
        rs.getString("payload"), rs.getString("webhook_url"), rs.getString("webhook_status"),
        rs.getObject("created_at", OffsetDateTime.class));
  }

  public List<Alert> ofRun(long runId) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT * FROM alerts WHERE run_id = ? ORDER BY alert_id")) {
      ps.setLong(1, runId);
      List<Alert> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(alertOf(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read alerts of run " + runId + ": " + e.getMessage(), e);
    }
  }
}
