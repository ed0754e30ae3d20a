package io.featurelake.gateway.training;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The labels: a table (read at a pinned snapshot when it is an Iceberg table) or a query.
 *
 * @param table the qualified table name, or null for a query spine
 * @param snapshotId the snapshot read, or null (query, or a table that is not Iceberg)
 */
record Spine(Dataset<Row> rows, String description, String table, Long snapshotId, Table iceberg) {

  private static final Pattern QUERY = Pattern.compile("(?is)^\\s*(select|with)\\b.*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}");

  /** Resolves the spine as given; a table is pinned at its current snapshot. */
  static Spine resolve(SparkSession spark, String spine) {
    if (QUERY.matcher(spine).matches()) {
      try {
        return new Spine(spark.sql(spine), "query", null, null, null);
      } catch (Exception e) { // AnalysisException: checked, thrown undeclared
        throw PlatformException.invalidArgument("spine query does not run: %s", ConciseErrors.message(e));
      }
    }
    if (!NAME.matcher(spine).matches()) {
      throw PlatformException.invalidArgument("spine must name a table (lake.ml.labels) or be a SELECT query, got '%s'", spine);
    }
    // namespace.table is a table of the lake catalog; a bare name may be a temporary view.
    String qualified = spine.chars().filter(c -> c == '.').count() == 1 ? "lake." + spine : spine;
    Table iceberg = null;
    try {
      iceberg = TrainingSetService.icebergTable(spark, qualified);
    } catch (Exception notIceberg) {
      // a temporary view or a non-Iceberg table: read as is, without a pin
    }
    Snapshot current = iceberg == null ? null : iceberg.currentSnapshot();
    return at(spark, qualified, current == null ? null : current.snapshotId(), iceberg);
  }

  /** The spine of a manifest: the same table at the same snapshot, or the same query. */
  static Spine pinned(SparkSession spark, String spine, String table, Long snapshotId) {
    if (table == null) {
      return new Spine(spark.sql(spine), "query", null, null, null);
    }
    Table iceberg = null;
    if (snapshotId != null) {
      iceberg = TrainingSetService.icebergTable(spark, table);
      if (iceberg.snapshot(snapshotId) == null) {
        throw PlatformException.invalidState("spine snapshot %d of %s no longer exists", snapshotId, table);
      }
    }
    return at(spark, table, snapshotId, iceberg);
  }

  private static Spine at(SparkSession spark, String table, Long snapshotId, Table iceberg) {
    try {
      Dataset<Row> rows = spark.sql("SELECT * FROM " + table + (snapshotId == null ? "" : " VERSION AS OF " + snapshotId));
      return new Spine(rows, table, table, snapshotId, iceberg);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java but thrown undeclared
      throw PlatformException.notFound("Spine table %s does not exist", table);
    }
  }

  /** The column of that name (case-insensitive), as the spine spells it, or null. */
  String column(String name) {
    return Arrays.stream(rows.schema().fieldNames()).filter(f -> f.equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  String columns() {
    return String.join(", ", rows.schema().fieldNames());
  }
}
