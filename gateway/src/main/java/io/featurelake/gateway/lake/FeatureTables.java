package io.featurelake.gateway.lake;

import io.featurelake.sqlcatalog.tables.LakeTables;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Iceberg table of a feature view, {@code lake.features.<view>}: created on the first
 * backfill from the definition's output schema, day-partitioned on the event timestamp,
 * format v2, copy-on-write (changelog scans, used by the online sync, reject delete files).
 *
 * <p>Schema evolution rules ({@link SchemaEvolution}): a new output column or struct field is added
 * to the table (nullable; older rows read NULL); a column may widen as Iceberg allows (int to
 * bigint, float to double, decimal precision); a removed column, a renamed column or any other
 * type change is refused before anything is written.
 */
public final class FeatureTables {

  public static final String NAMESPACE = LakeNames.FEATURES_NAMESPACE;

  private final SparkSession spark;

  public FeatureTables(SparkSession spark) {
    this.spark = spark;
  }

  public static String tableName(String view) {
    return LakeNames.featureTable(view);
  }

  public Catalog iceberg() {
    return ((SparkCatalog) spark.sessionState().catalogManager().catalog(LakeCatalog.NAME)).icebergCatalog();
  }

  /** The same catalog for the core's Spark-free readers. */
  public LakeTables lakeTables() {
    return LakeTables.of(iceberg());
  }

  public Table load(String view) {
    return iceberg().loadTable(TableIdentifier.of(NAMESPACE, view));
  }

  public boolean exists(String view) {
    return iceberg().tableExists(TableIdentifier.of(NAMESPACE, view));
  }

  /** The table as {@link #ensureTable} left it (loaded once), and the schema changes made (empty if none). */
  public record Ensured(Table table, List<String> changes) {}

  /**
   * Makes the table match the output schema under the evolution rules; creates it if missing.
   * Returns the table, so the caller need not load it again, and the schema changes made.
   */
  public Ensured ensureTable(FeatureViewDefinition view, StructType output) {
    checkOutputColumns(view, output);
    Schema wanted = SparkSchemaUtil.convert(output);
    Catalog catalog = iceberg();
    TableIdentifier id = TableIdentifier.of(NAMESPACE, view.name());
    Table existing;
    try {
      existing = catalog.loadTable(id);
    } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
      existing = null;
    }
    if (existing == null) {
      if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(Namespace.of(NAMESPACE))) {
        try {
          ns.createNamespace(Namespace.of(NAMESPACE));
        } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
          // created by a concurrent run
        }
      }
      Schema optional = new Schema(wanted.columns().stream().map(Types.NestedField::asOptional).toList());
      PartitionSpec spec = PartitionSpec.builderFor(optional).day(view.eventTimestamp()).build();
      Table created;
      try {
        created = catalog.buildTable(id, optional).withPartitionSpec(spec).withProperties(Map.of(
            TableProperties.FORMAT_VERSION, "2",
            "write.wap.enabled", "true",
            TableProperties.DELETE_MODE, "copy-on-write",
            TableProperties.UPDATE_MODE, "copy-on-write",
            TableProperties.MERGE_MODE, "copy-on-write",
            TableProperties.COMMIT_NUM_RETRIES, "20",
            "comment", view.description()))
            .create();
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
        return ensureTable(view, output);
      }
      return new Ensured(created, List.of("created " + tableName(view.name()) + " partitioned by day(" + view.eventTimestamp() + ")"));
    }
    return new Ensured(existing, evolve(view, existing, wanted));
  }

  private List<String> evolve(FeatureViewDefinition view, Table table, Schema wanted) {
    UpdateSchema update = table.updateSchema();
    SchemaEvolution plan = SchemaEvolution.plan(table.schema(), wanted, update);
    if (!plan.refused().isEmpty()) {
      throw PlatformException.invalidState("Definition of %s does not fit table %s: %s. Allowed: adding columns (and "
          + "struct fields) and the widenings Iceberg allows (int->bigint, float->double, decimal precision); for anything "
          + "else create a new view (or drop the table).", view.name(), tableName(view.name()), String.join("; ", plan.refused()));
    }
    if (!plan.changes().isEmpty()) {
      update.commit();
    }
    return plan.changes();
  }

  private static void checkOutputColumns(FeatureViewDefinition view, StructType output) {
    List<String> names = List.of(output.fieldNames());
    List<String> missing = new ArrayList<>();
    for (String entity : view.entities()) {
      if (!names.contains(entity)) {
        missing.add(entity);
      }
    }
    if (!names.contains(view.eventTimestamp())) {
      missing.add(view.eventTimestamp());
    }
    if (!missing.isEmpty()) {
      throw new PlatformException(io.featurelake.sqlcatalog.errors.ErrorCode.INVALID_DEFINITION,
          view.sourcePath() + ": the SQL does not output column(s) " + missing + " declared in the YAML; it outputs " + names);
    }
    String type = output.apply(view.eventTimestamp()).dataType().typeName();
    if (!type.equals("date") && !type.startsWith("timestamp")) {
      throw new PlatformException(io.featurelake.sqlcatalog.errors.ErrorCode.INVALID_DEFINITION,
          view.sourcePath() + ": event_timestamp column '" + view.eventTimestamp() + "' must be DATE or TIMESTAMP, the SQL makes it "
              + type.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
