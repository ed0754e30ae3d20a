package io.featurelake.sqlcatalog.features;

import java.util.Objects;

/**
 * A row-level expectation of a feature view: a Spark SQL boolean expression over its output rows
 * ({@code conversion_rate BETWEEN 0 AND 1}) and the share of rows allowed to violate it. A row
 * violates it when the expression is FALSE; NULL counts as not violated (the null-rate checks
 * cover NULLs). The expression's syntax is checked by the gateway when the view is loaded.
 *
 * @param name identifier of the expectation, unique in its view, shown in reports
 * @param sql the boolean expression
 * @param maxFailureShare highest share of rows allowed to violate it, in [0, 1]
 */
public record Expectation(String name, String sql, double maxFailureShare) {

  public Expectation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sql, "sql");
    if (!(maxFailureShare >= 0 && maxFailureShare <= 1)) {
      throw new IllegalArgumentException("maxFailureShare must be between 0 and 1, got " + maxFailureShare);
    }
  }
}
