package io.featurelake.gateway.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a result set into plain lists and maps, for AssertJ. */
public final class JdbcRows {

  private JdbcRows() {}

  public static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
    try (rs) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String label = md.getColumnLabel(i);
          row.put(label.contains(".") ? label.substring(label.lastIndexOf('.') + 1) : label, rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public static List<Map<String, Object>> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return read(s.executeQuery(sql));
    }
  }

  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The property/value rows of a describe-style procedure as a map. */
  public static Map<String, String> properties(Connection c, String sql) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> row : query(c, sql)) {
      out.put((String) row.get("property"), (String) row.get("value"));
    }
    return out;
  }
}
