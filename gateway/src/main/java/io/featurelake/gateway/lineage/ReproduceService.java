package io.featurelake.gateway.lineage;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.gateway.lake.PinnedQuery;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.lineage.LineageService;
import io.featurelake.sqlcatalog.lineage.RunPartition;
import io.featurelake.sqlcatalog.features.FeatureViewDefinitionException;
import io.featurelake.sqlcatalog.features.FeatureViewLoader;
import io.featurelake.sqlcatalog.features.FeatureViewVersion;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reproduces a published run: recomputes its window from the definition text it had (stored in
 * {@code feature_view_versions} by its sha256) and its inputs at their pinned snapshots, writes
 * the result to a scratch branch {@code repro_<run>_<n>} cut from the run's tag, and compares
 * each day partition (row count and an order-independent checksum) with
 * <ol>
 *   <li>the data the run published (its tag {@code run_<id>}), which proves the recomputation is
 *       deterministic whatever happened to main since, and</li>
 *   <li>main now, for the days main still attributes to the run (also when rewritten by
 *       compaction or changed outside the platform), which catches out-of-band changes.</li>
 * </ol>
 * Days a later run replaced are SUPERSEDED and compared with the tag only. The scratch branch is
 * always removed.
 */
public final class ReproduceService {

  private static final Logger LOG = LoggerFactory.getLogger(ReproduceService.class);
  private static final String SCRATCH_PREFIX = "repro_";

  private final SparkSession spark;
  private final LineageService lineage;

  public ReproduceService(SparkSession spark, Platform platform) {
    this.spark = spark;
    this.lineage = new LineageService(new FeatureTables(spark).lakeTables(), platform.catalogDatabase());
  }

  /**
   * The recomputed rows with every column the table gained after the run as a typed NULL: the
   * run's definition does not produce it, and the scratch branch has the table's current schema.
   * The comparison reads only the run's own columns.
   */
  private static Dataset<Row> withLaterColumns(Dataset<Row> computed, Table table) {
    java.util.Set<String> produced = new java.util.HashSet<>();
    for (String c : computed.columns()) {
      produced.add(c.toLowerCase(java.util.Locale.ROOT));
    }
    Dataset<Row> out = computed;
    for (org.apache.spark.sql.types.StructField f : org.apache.iceberg.spark.SparkSchemaUtil.convert(table.schema()).fields()) {
      if (!produced.contains(f.name().toLowerCase(java.util.Locale.ROOT))) {
        out = out.withColumn(f.name(), org.apache.spark.sql.functions.lit(null).cast(f.dataType()));
      }
    }
    return out;
  }

  public ReproduceResult reproduce(long runId) {
    BackfillRun run = lineage.findRun(runId);
    if (run.state() != RunState.PUBLISHED) {
      throw PlatformException.invalidState("Cannot reproduce run %d: it was never published (state %s); only a "
          + "published run has data to compare with", runId, run.state());
    }
    FeatureViewDefinition definition = definitionOf(run);
    Table table = lineage.featureTable(run);
    SnapshotRef tag = table.refs().get(run.tag());
    if (tag == null) {
      throw PlatformException.invalidState("Cannot reproduce run %d: its tag %s no longer exists on %s, so the data it "
          + "published cannot be read", runId, run.tag(), run.tableName());
    }
    checkInputsStillExist(run);
    Dataset<Row> computed = PinnedQuery.compute(spark, definition, run.startDate(), run.endDate(), run.sourceSnapshots());

    String branch = createScratchBranch(table, run, tag.snapshotId());
    try {
      DataFrameWriterV2<Row> writer = withLaterColumns(computed, table).writeTo(run.tableName() + ".branch_" + branch);
      writer.option("snapshot-property." + Lineage.PREFIX + "reproduce-of-run", String.valueOf(runId));
      writer.option("snapshot-property." + Lineage.DEFINITION_SHA256, run.definitionSha256());
      writer.option("snapshot-property." + Lineage.WINDOW, run.window());
      try {
        writer.overwritePartitions();
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException gone) {
        throw PlatformException.notFound("Cannot reproduce run %d: table %s is gone", runId, run.tableName());
      }

      List<String> columns = List.of(computed.columns());
      String ts = definition.eventTimestamp();
      Map<String, String> types = new HashMap<>();
      for (org.apache.spark.sql.types.StructField f : org.apache.iceberg.spark.SparkSchemaUtil.convert(table.schema()).fields()) {
        types.put(f.name().toLowerCase(java.util.Locale.ROOT), f.dataType().sql());
      }
      Map<LocalDate, PartitionComparison.Checksum> recomputed =
          checksums(run.tableName() + ".branch_" + branch, columns, ts, run, types);
      Map<LocalDate, PartitionComparison.Checksum> published =
          checksums(run.tableName() + " VERSION AS OF '" + run.tag() + "'", columns, ts, run, types);
      Map<LocalDate, PartitionComparison.Checksum> main = checksums(run.tableName(), columns, ts, run, types);
      table.refresh();
      Map<LocalDate, RunPartition> onMain = new HashMap<>();
      lineage.partitionsOf(run, table).forEach(p -> onMain.put(p.partition(), p));

      TreeSet<LocalDate> days = new TreeSet<>();
      days.addAll(recomputed.keySet());
      days.addAll(published.keySet());
      days.addAll(main.keySet());
      List<PartitionComparison> comparisons = new ArrayList<>();
      for (LocalDate day : days) {
        comparisons.add(compare(run, day, recomputed.getOrDefault(day, PartitionComparison.Checksum.EMPTY),
            published.getOrDefault(day, PartitionComparison.Checksum.EMPTY),
            main.getOrDefault(day, PartitionComparison.Checksum.EMPTY), onMain.get(day)));
      }
      boolean same = comparisons.stream().noneMatch(c -> c.status() == PartitionComparison.Status.DIFFERS);
      return new ReproduceResult(runId, same ? ReproduceResult.Verdict.REPRODUCED : ReproduceResult.Verdict.DIFFERS,
          branch, comparisons);
    } finally {
      removeScratchBranch(table, branch);
    }
  }

  private static PartitionComparison compare(BackfillRun run, LocalDate day, PartitionComparison.Checksum recomputed,
      PartitionComparison.Checksum published, PartitionComparison.Checksum main, RunPartition onMain) {
    boolean tagMatches = recomputed.equals(published);
    String tagProblem = "the recomputation differs from what run " + run.runId() + " published (tag " + run.tag()
        + "): " + recomputed.rows() + " rows vs " + published.rows() + ", checksum " + recomputed.checksum() + " vs "
        + published.checksum();
    if (onMain != null && onMain.status() == RunPartition.Status.SUPERSEDED) {
      return tagMatches
          ? new PartitionComparison(day, PartitionComparison.Status.SUPERSEDED, recomputed, published, null,
              onMain.detail() + "; the recomputation matches the tag")
          : new PartitionComparison(day, PartitionComparison.Status.DIFFERS, recomputed, published, null,
              tagProblem + "; on main " + onMain.detail());
    }
    String where = onMain == null ? "not written by the run" : onMain.detail();
    if (!tagMatches) {
      return new PartitionComparison(day, PartitionComparison.Status.DIFFERS, recomputed, published, main,
          tagProblem + "; on main: " + where);
    }
    if (!recomputed.equals(main)) {
      return new PartitionComparison(day, PartitionComparison.Status.DIFFERS, recomputed, published, main,
          "main differs from the run's output: " + main.rows() + " rows vs " + recomputed.rows() + ", checksum "
              + main.checksum() + " vs " + recomputed.checksum() + "; " + where);
    }
    return new PartitionComparison(day, PartitionComparison.Status.MATCHES, recomputed, published, main, where);
  }

  /**
   * Per day: count and the sum of a 64-bit hash per row. A sum does not depend on row order; the
   * hash also covers each column's null flag, as xxhash64 alone skips nulls, so (1, NULL) and
   * (NULL, 1) would collide. The decimal sum cannot overflow below 10^19 rows.
   */
  private Map<LocalDate, PartitionComparison.Checksum> checksums(String from, List<String> columns, String ts,
      BackfillRun run, Map<String, String> currentTypes) {
    // Every side hashed in the table's current types: a column widened since the run (int to
    // bigint) reads as int at the run's tag and as bigint on main, and must hash the same.
    String values = columns.stream().map(c -> currentTypes.containsKey(c.toLowerCase(java.util.Locale.ROOT))
        ? "CAST(" + quote(c) + " AS " + currentTypes.get(c.toLowerCase(java.util.Locale.ROOT)) + ")" : quote(c))
        .collect(Collectors.joining(", "));
    String nulls = columns.stream().map(c -> "isnull(" + quote(c) + ")").collect(Collectors.joining(", "));
    String sql = "SELECT CAST(" + quote(ts) + " AS DATE) AS day, count(*) AS n, CAST(sum(CAST(xxhash64(" + values + ", "
        + nulls + ") AS DECIMAL(38,0))) AS STRING) AS checksum FROM " + from + " WHERE " + quote(ts) + " >= DATE '"
        + run.startDate() + "' AND " + quote(ts) + " < DATE '" + run.endDate() + "' GROUP BY 1";
    Map<LocalDate, PartitionComparison.Checksum> out = new HashMap<>();
    for (Row r : spark.sql(sql).collectAsList()) {
      out.put(day(r.get(0)), new PartitionComparison.Checksum(r.getLong(1), r.getString(2)));
    }
    return out;
  }

  /** A DATE value; a JDBC session turns on Spark's Java 8 time API, where it is a LocalDate. */
  private static LocalDate day(Object value) {
    return value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate();
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private FeatureViewDefinition definitionOf(BackfillRun run) {
    FeatureViewVersion version = lineage.registry().version(run.featureView(), run.definitionSha256())
        .orElseThrow(() -> PlatformException.invalidState("Cannot reproduce run %d: its definition %s of %s is not "
            + "stored in feature_view_versions", run.runId(), run.definitionSha256(), run.featureView()));
    String location = "feature_view_versions[" + run.featureView() + "@" + run.definitionSha256().substring(0, 12) + "]";
    try {
      return FeatureViewLoader.fromDefinitionText(version.definitionText(), location, version.gitCommit(), version.gitDirty());
    } catch (FeatureViewDefinitionException e) {
      throw new PlatformException(ErrorCode.INVALID_DEFINITION, "Cannot reproduce run " + run.runId() + ": "
          + e.getMessage().replace('\n', ' '), e);
    }
  }

  private void checkInputsStillExist(BackfillRun run) {
    var catalog = new FeatureTables(spark).iceberg();
    for (Map.Entry<String, Long> pin : run.sourceSnapshots().entrySet()) {
      if (pin.getValue() == null) {
        continue;
      }
      String[] parts = pin.getKey().split("\\.");
      Table source;
      try {
        source = catalog.loadTable(TableIdentifier.of(parts[1], parts[2]));
      } catch (NoSuchTableException | ArrayIndexOutOfBoundsException e) {
        throw PlatformException.invalidState("Cannot reproduce run %d: its input %s no longer exists", run.runId(), pin.getKey());
      }
      if (source.snapshot(pin.getValue()) == null) {
        throw PlatformException.invalidState("Cannot reproduce run %d: its input %s at snapshot %d is gone (expired by "
            + "maintenance); the run read that snapshot and no other can stand in for it", run.runId(), pin.getKey(),
            pin.getValue());
      }
    }
  }

  /** A fresh {@code repro_<run>_<n>} at the run's tagged snapshot; n counts up past branches left by others. */
  private static String createScratchBranch(Table table, BackfillRun run, long taggedSnapshot) {
    Pattern mine = Pattern.compile(Pattern.quote(SCRATCH_PREFIX + run.runId() + "_") + "(\\d+)");
    for (int attempt = 0; ; attempt++) {
      table.refresh();
      int next = 1;
      for (String ref : table.refs().keySet()) {
        Matcher m = mine.matcher(ref);
        if (m.matches()) {
          next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
        }
      }
      String branch = SCRATCH_PREFIX + run.runId() + "_" + next;
      try {
        table.manageSnapshots().createBranch(branch, taggedSnapshot).commit();
        return branch;
      } catch (IllegalArgumentException | CommitFailedException raced) {
        if (attempt >= 5) {
          throw raced;
        }
      }
    }
  }

  private static void removeScratchBranch(Table table, String branch) {
    try {
      table.refresh();
      if (table.refs().containsKey(branch)) {
        table.manageSnapshots().removeBranch(branch).commit();
      }
    } catch (RuntimeException e) {
      LOG.error("Scratch branch {} of {} could not be removed; remove it with ALTER TABLE {} DROP BRANCH {}", branch,
          table.name(), LakeCatalog.NAME + "." + table.name(), branch, e);
    }
  }
}
