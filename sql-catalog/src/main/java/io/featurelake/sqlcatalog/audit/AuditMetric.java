package io.featurelake.sqlcatalog.audit;

/** One computed metric: side is "run" (the rows the run wrote) or "baseline". */
public record AuditMetric(String side, String column, String metric, Double value) {}
