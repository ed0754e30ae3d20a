package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lineage.PartitionEventGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.lineage_table(table => 'features.v')}: the commits that changed the
 * table's data on main, newest first: the runs that published into it, compactions and writes
 * from outside the platform.
 */
public final class LineageTableProcedure extends PlatformProcedure {

  public static final String NAME = "lineage_table";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table", "'namespace.table' or 'lake.namespace.table'");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 100, "At most this many commits (1 to 10000)");

  private static final StructType OUTPUT = new StructType()
      .add("snapshot_id", DataTypes.LongType, false)
      .add("committed_at", DataTypes.StringType, false)
      .add("operation", DataTypes.StringType, false)
      .add("written_by", DataTypes.StringType, false)
      .add("run_id", DataTypes.LongType, true)
      .add("tag", DataTypes.StringType, true)
      .add("window", DataTypes.StringType, true)
      .add("git_commit", DataTypes.StringType, true)
      .add("definition_sha256", DataTypes.StringType, true)
      .add("added_records", DataTypes.LongType, true)
      .add("deleted_records", DataTypes.LongType, true)
      .add("partitions", DataTypes.StringType, false);

  public LineageTableProcedure() {
    super(NAME, List.of(TABLE, LIMIT), OUTPUT, "The commits that changed a table's data on main, newest first");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("lake.platform.%s: limit must be between 1 and 10000, got %d", NAME, limit);
    }
    List<Object[]> rows = new ArrayList<>();
    for (PartitionEventGroup g : ProcedureContext.lineage().table(args.nonBlankString(TABLE), limit)) {
      Map<String, String> s = g.snapshot().summary() == null ? Map.of() : g.snapshot().summary();
      rows.add(new Object[] {g.snapshot().snapshotId(), Instant.ofEpochMilli(g.snapshot().timestampMillis()).toString(),
          g.snapshot().operation(), g.writer().name().toLowerCase(java.util.Locale.ROOT),
          s.containsKey(Lineage.RUN_ID) ? Long.valueOf(s.get(Lineage.RUN_ID)) : null, g.tags().isEmpty() ? null : g.tags(),
          s.get(Lineage.WINDOW), s.get(Lineage.GIT_COMMIT), s.get(Lineage.DEFINITION_SHA256),
          number(s.get("added-records")), number(s.get("deleted-records")), g.partitions()});
    }
    return rows;
  }

  private static Long number(String value) {
    return value == null ? null : Long.valueOf(value);
  }
}
