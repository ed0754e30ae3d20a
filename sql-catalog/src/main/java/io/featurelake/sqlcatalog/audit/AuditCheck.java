package io.featurelake.sqlcatalog.audit;

/**
 * One check of an audit: its name (row_count, null_rate, duplicate_keys, schema, psi,
 * row_count_change), the column it looked at (null for table-level checks), the observed value,
 * the threshold, the verdict and a sentence saying by how much it passed or failed.
 */
public record AuditCheck(String name, String column, Double observed, Double threshold, boolean passed, String detail) {}
