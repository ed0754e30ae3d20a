package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.lineage.PartitionEventGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code CALL lake.platform.lineage_table(table => 'features.v')}: the commits that changed the
 * table's data on main, newest first: the runs that published into it, compactions and writes
 * from outside the platform.
 */
public final class LineageTableProcedure extends TypedProcedure<LineageTableProcedure.Row> {

  public static final String NAME = "lineage_table";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table", "'namespace.table' or 'lake.namespace.table'");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 100, "At most this many commits (1 to 10000)");

  /** One data-changing commit: the columns, declared once. */
  public record Row(long snapshotId, @Required Instant committedAt, @Required String operation, @Required String writtenBy,
      Long runId, String tag, String window, String gitCommit, String definitionSha256, Long addedRecords,
      Long deletedRecords, @Required String partitions) {}

  private final ProcedureServices services;

  public LineageTableProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE, LIMIT), RowSchema.of(Row.class), "The commits that changed a table's data on main, newest first");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    int limit = PageRequest.of(args.procedure(), 0, args.intValue(LIMIT)).limit();
    List<Row> rows = new ArrayList<>();
    for (PartitionEventGroup g : services.lineage().table(args.nonBlankString(TABLE), limit)) {
      Map<String, String> s = g.snapshot().summary() == null ? Map.of() : g.snapshot().summary();
      rows.add(new Row(g.snapshot().snapshotId(), Instant.ofEpochMilli(g.snapshot().timestampMillis()),
          g.snapshot().operation(), g.writer().name(),
          s.containsKey(Lineage.RUN_ID) ? Long.valueOf(s.get(Lineage.RUN_ID)) : null, g.tags().isEmpty() ? null : g.tags(),
          s.get(Lineage.WINDOW), s.get(Lineage.GIT_COMMIT), s.get(Lineage.DEFINITION_SHA256),
          number(s.get("added-records")), number(s.get("deleted-records")), g.partitions()));
    }
    return rows;
  }

  private static Long number(String value) {
    return value == null ? null : Long.valueOf(value);
  }
}
