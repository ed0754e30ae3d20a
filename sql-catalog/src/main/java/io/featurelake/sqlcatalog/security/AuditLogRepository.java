package io.featurelake.sqlcatalog.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** {@code audit_log}: appended to, read newest first; only a STARTED entry is ever updated (to how it ended). */
public final class AuditLogRepository {

  private static final int TARGET_MAX = 1000;
  private static final int DETAIL_MAX = 4000;

  private final DataSource db;

  public AuditLogRepository(DataSource db) {
    this.db = db;
  }

  /** Stores an entry at the current time and returns its id. */
  public long record(String user, Role role, String action, String target, AuditEntry.Outcome outcome, String detail) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, user_name, role, action, target, outcome, "
             + "detail) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
      ps.setString(2, clip(user, 256));
      ps.setString(3, role == null ? null : role.label());
      ps.setString(4, action);
      ps.setString(5, clip(target, TARGET_MAX));
      ps.setString(6, outcome.name());
      ps.setString(7, clip(detail, DETAIL_MAX));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot write the audit log (" + action + " by " + user + "): " + e.getMessage(), e);
    }
  }

  /** Moves a STARTED entry to how the action ended. */
  public void finish(long entryId, AuditEntry.Outcome outcome, String detail) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET outcome = ?, detail = ? "
             + "WHERE entry_id = ? AND outcome = 'STARTED'")) {
      ps.setString(1, outcome.name());
      ps.setString(2, clip(detail, DETAIL_MAX));
      ps.setLong(3, entryId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot update audit log entry " + entryId + ": " + e.getMessage(), e);
    }
  }

  /** Entries newest first, of one user when {@code userOrNull} is set, of one action when {@code actionOrNull} is. */
  public List<AuditEntry> list(String userOrNull, String actionOrNull, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
    List<String> params = new ArrayList<>();
    if (userOrNull != null) {
      sql.append(" AND user_name = ?");
      params.add(userOrNull);
    }
    if (actionOrNull != null) {
      sql.append(" AND action = ?");
      params.add(actionOrNull);
    }
    sql.append(" ORDER BY entry_id DESC");
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setString(i + 1, params.get(i));
      }
      ps.setMaxRows(limit);
      List<AuditEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditEntry(rs.getLong("entry_id"), rs.getObject("at", OffsetDateTime.class), rs.getString("user_name"),
              rs.getString("role"), rs.getString("action"), rs.getString("target"),
              AuditEntry.Outcome.valueOf(rs.getString("outcome")), rs.getString("detail")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the audit log: " + e.getMessage(), e);
    }
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
