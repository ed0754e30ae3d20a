package io.featurelake.sqlcatalog.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * A feature view as defined by its two files under {@code features/}: {@code <name>.yaml} (the
 * metadata, see {@code docs/feature-views.md}) and {@code <name>.sql} (one Spark SQL SELECT over
 * the window {@code [start_date, end_date)}). Instances come from {@link FeatureViewLoader}
 * (validated) or from {@link FeatureViewRegistry} (as registered).
 *
 * <p>YAML layout (every field is described in {@code docs/feature-views.md}):
 * <pre>{@code
 * name: user_activity_daily            # required, lower snake_case, equals the file name
 * description: Per-user activity ...   # optional, default ""
 * owner: ml-platform@example.com       # required
 * entities: [user_id]                  # required, entity key columns
 * event_timestamp: event_date          # required, DATE or TIMESTAMP output column
 * sources: [lake.raw.events]           # required, catalog.namespace.table
 * lookback_days: 6                     # optional, default 0
 * online:
 *   ttl: 7d                            # optional, default 7d; d, h, m or s
 * checks:                              # optional, every key optional
 *   min_row_count: 1
 *   max_null_rate: 0.05
 *   null_rate_overrides: {avg_purchase_amount: 0.9}
 *   max_duplicate_keys: 0
 *   max_psi: 0.25
 *   max_row_count_change: 0.5
 *   psi_columns: []
 * }</pre>
 *
 * <p>The SQL may use the placeholders {@code ${start_date}}, {@code ${end_date}} (exclusive) and
 * {@code ${lookback_start}} ({@code start_date - lookback_days}); each renders as an ISO date
 * {@code YYYY-MM-DD} and the SQL quotes it itself ({@code DATE '${start_date}'}).
 *
 * @param name view name, {@code [a-z][a-z0-9_]{0,62}}; the table is {@code lake.features.<name>}
 * @param description free text
 * @param owner who is alerted when an audit fails
 * @param entities entity key columns of the output
 * @param eventTimestamp DATE or TIMESTAMP output column; the table is partitioned by its day
 * @param sources fully qualified input tables
 * @param lookbackDays how many days before {@code start_date} the SQL reads
 * @param onlineTtl time to live of the view's keys in the online store
 * @param checks audit thresholds
 * @param yaml text of the YAML file, as read
 * @param sql text of the SQL file, as read (placeholders not rendered)
 * @param sourcePath YAML file relative to its git repository's root, or absolute outside git
 * @param sha256 hex SHA-256 of {@link #definitionText()} in UTF-8
 * @param gitCommit last commit that touched either file, or null (outside git, never committed)
 * @param gitDirty whether either file differs from that commit (or is untracked)
 */
public record FeatureViewDefinition(
    String name,
    String description,
    String owner,
    List<String> entities,
    String eventTimestamp,
    List<String> sources,
    int lookbackDays,
    Duration onlineTtl,
    Checks checks,
    String yaml,
    String sql,
    String sourcePath,
    String sha256,
    String gitCommit,
    boolean gitDirty) {

  /** Placed between the YAML and the SQL text in {@link #definitionText()}. */
  public static final String SQL_SEPARATOR = "\n--- sql ---\n";
  public static final Duration DEFAULT_ONLINE_TTL = Duration.ofDays(7);

  public FeatureViewDefinition {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(owner, "owner");
    entities = List.copyOf(entities);
    Objects.requireNonNull(eventTimestamp, "eventTimestamp");
    sources = List.copyOf(sources);
    Objects.requireNonNull(onlineTtl, "onlineTtl");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(sourcePath, "sourcePath");
    Objects.requireNonNull(sha256, "sha256");
    if (entities.isEmpty() || sources.isEmpty()) {
      throw new IllegalArgumentException("A feature view needs at least one entity and one source: " + name);
    }
    if (lookbackDays < 0) {
      throw new IllegalArgumentException("lookbackDays must be >= 0, got " + lookbackDays);
    }
  }

  /** The canonical text whose SHA-256 identifies this definition: YAML, separator, SQL. */
  public String definitionText() {
    return definitionText(yaml, sql);
  }

  /** Iceberg table the view is written to. */
  public String tableName() {
    return io.featurelake.sqlcatalog.lake.LakeNames.featureTable(name);
  }

  /** First day the SQL reads for a window starting at {@code start}. */
  public LocalDate lookbackStart(LocalDate start) {
    return start.minusDays(lookbackDays);
  }

  /**
   * The SQL for the window {@code [start, endExclusive)} with every placeholder replaced by an
   * ISO date. Whether the output has the entity and event-timestamp columns with the right types
   * is checked by the backfill when it runs the query.
   */
  public String render(LocalDate start, LocalDate endExclusive) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(endExclusive, "endExclusive");
    if (!start.isBefore(endExclusive)) {
      throw new IllegalArgumentException("start_date must be before end_date, got start_date=" + start
          + ", end_date=" + endExclusive);
    }
    Matcher m = SqlTemplate.PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value;
      switch (m.group(1)) {
        case SqlTemplate.START_DATE:
          value = start.toString();
          break;
        case SqlTemplate.END_DATE:
          value = endExclusive.toString();
          break;
        case SqlTemplate.LOOKBACK_START:
          value = lookbackStart(start).toString();
          break;
        default:
          throw new IllegalStateException("unknown placeholder " + m.group() + " in " + name + ".sql");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String definitionText(String yaml, String sql) {
    return yaml + SQL_SEPARATOR + sql;
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
