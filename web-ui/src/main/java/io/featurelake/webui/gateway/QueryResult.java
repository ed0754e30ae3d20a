package io.featurelake.webui.gateway;

import java.util.List;

/**
 * Rows a statement returned, as display strings, capped at the caller's row limit.
 *
 * @param truncated true when the statement had more rows than the limit
 */
public record QueryResult(List<String> columns, List<List<String>> rows, boolean truncated, long millis) {

  public QueryResult {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** The value of {@code column} in the first row, or null: for single-row CALL results. */
  public String first(String column) {
    int i = columns.indexOf(column);
    if (i < 0 || rows.isEmpty()) {
      return null;
    }
    return rows.get(0).get(i);
  }
}
