package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.tables.RefInfo;
import io.featurelake.sqlcatalog.tables.TableDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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

  private final ProcedureServices services;

  public DescribeTableProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE), OUTPUT, "Format, partitioning, snapshots, refs and properties of a lake table");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    TableName name = TableName.parse(args.procedure(), args.nonBlankString(TABLE));
    TableDescription d = services.core().tableHistory().describe(name);
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"table", d.name().qualified()});
    rows.add(new Object[] {"format_version", String.valueOf(d.formatVersion())});
    rows.add(new Object[] {"location", d.location()});
    rows.add(new Object[] {"schema", d.schema()});
    rows.add(new Object[] {"partition_spec", d.partitionSpec()});
    rows.add(new Object[] {"sort_order", d.sortOrder()});
    rows.add(new Object[] {"current_snapshot_id", d.currentSnapshotId() == null ? null : String.valueOf(d.currentSnapshotId())});
    rows.add(new Object[] {"current_snapshot_time", d.currentSnapshotAt() == null ? null : d.currentSnapshotAt().toInstant().toString()});
    rows.add(new Object[] {"total_records", String.valueOf(d.totalRecords())});
    rows.add(new Object[] {"total_data_files", String.valueOf(d.totalDataFiles())});
    rows.add(new Object[] {"snapshots", String.valueOf(d.snapshots())});
    rows.add(new Object[] {"branches", refs(d.branches())});
    rows.add(new Object[] {"tags", refs(d.tags())});
    d.properties().forEach((k, v) -> rows.add(new Object[] {"property." + k, v}));
    return rows;
  }

  private static String refs(List<RefInfo> refs) {
    return refs.stream().map(r -> r.name() + "@" + r.snapshotId()).collect(Collectors.joining(", "));
  }
}
