package io.featurelake.sqlcatalog.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/**
 * Serializes publishes of one table across every JVM that shares the catalog database: the
 * work runs while this process holds a row lock ({@code SELECT ... FOR UPDATE}) on the table's row.
 */
public final class PublishLock {

  private final DataSource db;

  public PublishLock(DataSource db) {
    this.db = db;
  }

  public <T> T withLock(String tableName, Callable<T> work) throws Exception {
    ensureRow(tableName);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM publish_locks WHERE table_name = ? FOR UPDATE")) {
        ps.setString(1, tableName);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
      }
      try {
        return work.call();
      } finally {
        c.commit();
      }
    }
  }

  private void ensureRow(String tableName) throws SQLException {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO publish_locks (table_name) "
             + "SELECT ? WHERE NOT EXISTS (SELECT 1 FROM publish_locks WHERE table_name = ?)")) {
      ps.setString(1, tableName);
      ps.setString(2, tableName);
      ps.executeUpdate();
    } catch (SQLException e) {
      // Another process inserted the same row between our check and insert: the row exists, fine.
      if (!isDuplicateKey(e)) {
        throw e;
      }
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
