package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.tables.RefInfo;
import io.featurelake.sqlcatalog.tables.TableDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;


/**
 * {@code CALL lake.platform.describe_table(table => 'demo.t')}: what an Iceberg table is made of
 * (format, location, partitioning, current snapshot, branches and tags, properties), one
 * (property, value) row each. Read-only.
 */
public final class DescribeTableProcedure extends TypedProcedure<PropertyRows.Row> {

  public static final String NAME = "describe_table";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table",
      "Table in the lake catalog: 'namespace.table' or 'lake.namespace.table'");


  private final ProcedureServices services;

  public DescribeTableProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE), PropertyRows.SCHEMA, "Format, partitioning, snapshots, refs and properties of a lake table");
    this.services = services;
  }

  @Override
  protected List<PropertyRows.Row> rows(ProcedureArgs args) {
    TableName name = TableName.parse(args.procedure(), args.nonBlankString(TABLE));
    TableDescription d = services.core().tableHistory().describe(name);
    List<PropertyRows.Row> rows = new ArrayList<>();
    rows.add(new PropertyRows.Row("table", d.name().qualified()));
    rows.add(new PropertyRows.Row("format_version", String.valueOf(d.formatVersion())));
    rows.add(new PropertyRows.Row("location", d.location()));
    rows.add(new PropertyRows.Row("schema", d.schema()));
    rows.add(new PropertyRows.Row("partition_spec", d.partitionSpec()));
    rows.add(new PropertyRows.Row("sort_order", d.sortOrder()));
    rows.add(new PropertyRows.Row("current_snapshot_id", d.currentSnapshotId() == null ? null : String.valueOf(d.currentSnapshotId())));
    rows.add(new PropertyRows.Row("current_snapshot_time", d.currentSnapshotAt() == null ? null : d.currentSnapshotAt().toInstant().toString()));
    rows.add(new PropertyRows.Row("total_records", String.valueOf(d.totalRecords())));
    rows.add(new PropertyRows.Row("total_data_files", String.valueOf(d.totalDataFiles())));
    rows.add(new PropertyRows.Row("snapshots", String.valueOf(d.snapshots())));
    rows.add(new PropertyRows.Row("branches", refs(d.branches())));
    rows.add(new PropertyRows.Row("tags", refs(d.tags())));
    d.properties().forEach((k, v) -> rows.add(new PropertyRows.Row("property." + k, v)));
    return rows;
  }

  private static String refs(List<RefInfo> refs) {
    return refs.stream().map(r -> r.name() + "@" + r.snapshotId()).collect(Collectors.joining(", "));
  }
}
