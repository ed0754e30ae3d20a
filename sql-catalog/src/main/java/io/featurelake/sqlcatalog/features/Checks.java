package io.featurelake.sqlcatalog.features;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Audit thresholds of a feature view, from the {@code checks} section of its YAML file. The audit
 * of a backfill fails when any threshold is exceeded.
 *
 * @param minRowCount fewest rows the computed window may have (default 1)
 * @param maxNullRate highest share of NULLs in any column without an override, in [0, 1]
 *     (default 0.05)
 * @param nullRateOverrides per-column null-rate thresholds, in [0, 1]
 * @param maxDuplicateKeys most rows allowed to share an (entities, event timestamp) key with
 *     another row (default 0)
 * @param maxPsi highest population stability index of a numeric column against the published
 *     baseline (default 0.25)
 * @param maxRowCountChange highest relative change of the row count against the baseline, 0.5
 *     meaning ±50% (default 0.5)
 * @param psiColumns columns the PSI check covers; empty means every numeric feature column
 * @param psiOverrides per-column PSI thresholds, >= 0
 * @param expectations row-level expectations, each with its allowed failure share
 */
public record Checks(
    long minRowCount,
    double maxNullRate,
    Map<String, Double> nullRateOverrides,
    long maxDuplicateKeys,
    double maxPsi,
    double maxRowCountChange,
    List<String> psiColumns,
    Map<String, Double> psiOverrides,
    List<Expectation> expectations) {

  public static final long DEFAULT_MIN_ROW_COUNT = 1;
  public static final double DEFAULT_MAX_NULL_RATE = 0.05;
  public static final long DEFAULT_MAX_DUPLICATE_KEYS = 0;
  public static final double DEFAULT_MAX_PSI = 0.25;
  public static final double DEFAULT_MAX_ROW_COUNT_CHANGE = 0.5;

  public Checks {
    // Sorted, so that equal checks print and serialize identically.
    nullRateOverrides = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(nullRateOverrides)));
    psiColumns = List.copyOf(psiColumns);
    psiOverrides = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(psiOverrides)));
    expectations = List.copyOf(expectations);
    psiOverrides.forEach((column, psi) -> {
      if (!(psi >= 0) || Double.isInfinite(psi)) {
        throw new IllegalArgumentException("psiOverrides." + column + " must be finite and >= 0, got " + psi);
      }
    });
    requireRate("maxNullRate", maxNullRate);
    nullRateOverrides.forEach((column, rate) -> requireRate("nullRateOverrides." + column, rate));
    if (minRowCount < 0 || maxDuplicateKeys < 0) {
      throw new IllegalArgumentException("minRowCount and maxDuplicateKeys must be >= 0, got " + minRowCount + ", " + maxDuplicateKeys);
    }
    if (!(maxPsi >= 0) || Double.isInfinite(maxPsi) || !(maxRowCountChange >= 0) || Double.isInfinite(maxRowCountChange)) {
      throw new IllegalArgumentException("maxPsi and maxRowCountChange must be finite and >= 0, got " + maxPsi + ", " + maxRowCountChange);
    }
  }

  /** The thresholds used when a view has no {@code checks} section. */
  public static Checks defaults() {
    return new Checks(DEFAULT_MIN_ROW_COUNT, DEFAULT_MAX_NULL_RATE, Map.of(), DEFAULT_MAX_DUPLICATE_KEYS,
        DEFAULT_MAX_PSI, DEFAULT_MAX_ROW_COUNT_CHANGE, List.of(), Map.of(), List.of());
  }

  /** PSI threshold of {@code column}: its override if it has one, else {@link #maxPsi()}. */
  public double maxPsi(String column) {
    Double override = psiOverrides.get(column);
    return override == null ? maxPsi : override;
  }

  /** Null-rate threshold of {@code column}: its override if it has one, else {@link #maxNullRate()}. */
  public double maxNullRate(String column) {
    Double override = nullRateOverrides.get(column);
    return override == null ? maxNullRate : override;
  }

  /**
   * Canonical JSON with the YAML field names, e.g. for the catalog database and audit reports.
   * Numbers are written in plain notation, so the text is also valid YAML 1.1.
   */
  public String toJson() {
    StringBuilder json = new StringBuilder("{");
    json.append("\"min_row_count\": ").append(minRowCount);
    json.append(", \"max_null_rate\": ").append(number(maxNullRate));
    json.append(", \"null_rate_overrides\": {");
    String separator = "";
    for (Map.Entry<String, Double> e : nullRateOverrides.entrySet()) {
      json.append(separator).append('"').append(e.getKey()).append("\": ").append(number(e.getValue()));
      separator = ", ";
    }
    json.append("}");
    json.append(", \"max_duplicate_keys\": ").append(maxDuplicateKeys);
    json.append(", \"max_psi\": ").append(number(maxPsi));
    json.append(", \"max_row_count_change\": ").append(number(maxRowCountChange));
    json.append(", \"psi_columns\": [");
    separator = "";
    for (String column : psiColumns) {
      json.append(separator).append('"').append(column).append('"');
      separator = ", ";
    }
    json.append("]");
    // Written only when used, so the JSON of views without them stays as it was.
    if (!psiOverrides.isEmpty()) {
      json.append(", \"psi_overrides\": {");
      separator = "";
      for (Map.Entry<String, Double> e : psiOverrides.entrySet()) {
        json.append(separator).append('"').append(e.getKey()).append("\": ").append(number(e.getValue()));
        separator = ", ";
      }
      json.append("}");
    }
    if (!expectations.isEmpty()) {
      json.append(", \"expectations\": [");
      separator = "";
      for (Expectation e : expectations) {
        json.append(separator).append("{\"name\": \"").append(e.name()).append("\", \"sql\": ").append(jsonString(e.sql()))
            .append(", \"max_failure_share\": ").append(number(e.maxFailureShare())).append('}');
        separator = ", ";
      }
      json.append("]");
    }
    return json.append("}").toString();
  }

  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** Reads the output of {@link #toJson()} (or any {@code checks} mapping) back. */
  public static Checks fromJson(String json) {
    return DefinitionParser.parseChecksText(json, "checks JSON");
  }

  private static String number(double value) {
    // Column names are validated identifiers, so they need no JSON escaping; numbers are finite.
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static void requireRate(String what, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + rate);
    }
  }
}
