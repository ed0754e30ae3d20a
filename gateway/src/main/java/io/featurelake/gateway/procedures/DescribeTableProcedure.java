package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.LakeCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.describe_table(table => 'demo.t')}: what an Iceberg table is made of
 * (format, location, partitioning, current snapshot, branches and tags, properties), one
 * (property, value) row each. Read-only.
 */
public final class DescribeTableProcedure extends PlatformProcedure {

  public static final String NAME = "describe_table";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table",
      "Table in the lake catalog: 'namespace.table' or 'lake.namespace.table'");

  private static final StructType OUTPUT = new StructType()
      .add("property", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, true);

  public DescribeTableProcedure() {
    super(NAME, List.of(TABLE), OUTPUT, "Format, partitioning, snapshots, refs and properties of a lake table");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String name = args.nonBlankString(TABLE);
    Table table = load(name);
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"table", LakeCatalog.NAME + "." + table.name().replaceFirst("^" + LakeCatalog.NAME + "\\.", "")});
    rows.add(new Object[] {"format_version", String.valueOf(((HasTableOperations) table).operations().current().formatVersion())});
    rows.add(new Object[] {"location", table.location()});
    rows.add(new Object[] {"schema", table.schema().asStruct().toString()});
    rows.add(new Object[] {"partition_spec", table.spec().toString().replaceAll("\\s+", " ")});
    rows.add(new Object[] {"sort_order", table.sortOrder().toString().replaceAll("\\s+", " ")});
    Snapshot current = table.currentSnapshot();
    rows.add(new Object[] {"current_snapshot_id", current == null ? null : String.valueOf(current.snapshotId())});
    rows.add(new Object[] {"current_snapshot_time", current == null ? null : Instant.ofEpochMilli(current.timestampMillis()).toString()});
    rows.add(new Object[] {"total_records", current == null ? "0" : current.summary().getOrDefault("total-records", "0")});
    rows.add(new Object[] {"total_data_files", current == null ? "0" : current.summary().getOrDefault("total-data-files", "0")});
    int snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    rows.add(new Object[] {"snapshots", String.valueOf(snapshots)});
    Map<String, SnapshotRef> refs = new TreeMap<>(table.refs());
    rows.add(new Object[] {"branches", refs.entrySet().stream().filter(e -> e.getValue().isBranch())
        .map(e -> e.getKey() + "@" + e.getValue().snapshotId()).collect(Collectors.joining(", "))});
    rows.add(new Object[] {"tags", refs.entrySet().stream().filter(e -> e.getValue().isTag())
        .map(e -> e.getKey() + "@" + e.getValue().snapshotId()).collect(Collectors.joining(", "))});
    new TreeMap<>(table.properties()).forEach((k, v) -> rows.add(new Object[] {"property." + k, v}));
    return rows;
  }

  private static Table load(String name) {
    String relative = name.toLowerCase(Locale.ROOT).startsWith(LakeCatalog.NAME + ".")
        ? name.substring(LakeCatalog.NAME.length() + 1) : name;
    if (!relative.contains(".")) {
      throw PlatformException.invalidArgument("lake.platform.%s: table must be 'namespace.table', got '%s'", NAME, name);
    }
    SparkCatalog catalog = (SparkCatalog) SparkSession.active().sessionState().catalogManager().catalog(LakeCatalog.NAME);
    Catalog iceberg = catalog.icebergCatalog();
    try {
      return iceberg.loadTable(TableIdentifier.parse(relative));
    } catch (NoSuchTableException e) {
      throw PlatformException.notFound("Table %s.%s does not exist", LakeCatalog.NAME, relative);
    }
  }
}
