package io.featurelake.sqlcatalog.paging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads one page of a catalog-database query and counts the whole list, in one connection.
 * {@code LIMIT ? OFFSET ?} is understood by both H2 and PostgreSQL.
 */
public final class PagedSql {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private PagedSql() {}

  /**
   * @param select {@code SELECT <columns>} without FROM
   * @param fromWhere {@code FROM t [WHERE ...]}, its {@code ?} bound to {@code params}
   * @param orderBy {@code ORDER BY ...}: a total order, so pages neither overlap nor skip
   */
  public static <T> Page<T> page(DataSource db, String select, String fromWhere, List<?> params, String orderBy,
      PageRequest request, RowMapper<T> mapper) throws SQLException {
    try (Connection c = db.getConnection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) " + fromWhere)) {
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<T> items = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(select + " " + fromWhere + " " + orderBy + " LIMIT ? OFFSET ?")) {
        bind(ps, params);
        ps.setInt(params.size() + 1, request.limit());
        ps.setInt(params.size() + 2, request.offset());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(mapper.map(rs));
          }
        }
      }
      return new Page<>(items, request.offset(), request.limit(), total);
    }
  }

  private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }
}
