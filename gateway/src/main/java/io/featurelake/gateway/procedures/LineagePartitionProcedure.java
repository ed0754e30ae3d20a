package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.lineage.PartitionEvent;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.lineage_partition(table => 'features.v', partition => '2023-01-02')}:
 * what produced a day partition. One row per commit on main that changed it, newest first, back
 * to the commit that replaced it whole; the first row with {@code role = 'latest writer'} is the
 * answer.
 */
public final class LineagePartitionProcedure extends PlatformProcedure {

  public static final String NAME = "lineage_partition";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table", "'namespace.table' or 'lake.namespace.table'");
  static final ProcedureParam PARTITION = ProcedureParam.requiredString("partition", "The day, 'YYYY-MM-DD'");

  private static final StructType OUTPUT = new StructType()
      .add("partition", DataTypes.DateType, false)
      .add("role", DataTypes.StringType, false)
      .add("snapshot_id", DataTypes.LongType, false)
      .add("committed_at", DataTypes.StringType, false)
      .add("operation", DataTypes.StringType, false)
      .add("written_by", DataTypes.StringType, false)
      .add("run_id", DataTypes.LongType, true)
      .add("feature_view", DataTypes.StringType, true)
      .add("window", DataTypes.StringType, true)
      .add("started_by", DataTypes.StringType, true)
      .add("origin", DataTypes.StringType, true)
      .add("git_commit", DataTypes.StringType, true)
      .add("git_dirty", DataTypes.BooleanType, true)
      .add("definition_sha256", DataTypes.StringType, true)
      .add("source_snapshots", DataTypes.StringType, true)
      .add("audit_report_id", DataTypes.LongType, true)
      .add("published_at", DataTypes.StringType, true)
      .add("added_files", DataTypes.IntegerType, false)
      .add("removed_files", DataTypes.IntegerType, false)
      .add("detail", DataTypes.StringType, false);

  public LineagePartitionProcedure() {
    super(NAME, List.of(TABLE, PARTITION), OUTPUT, "What produced a day partition: the commits and runs behind it");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    String table = args.nonBlankString(TABLE);
    LocalDate day = args.localDate(PARTITION);
    var lineage = ProcedureContext.lineage();
    List<Object[]> rows = new ArrayList<>();
    boolean latestSeen = false;
    for (PartitionEvent e : lineage.partition(table, day)) {
      String role;
      if (!e.producesData()) {
        role = e.writer() == PartitionEvent.Writer.COMPACTION ? "compaction" : "deletion";
      } else {
        role = latestSeen ? "earlier writer" : "latest writer";
        latestSeen = true;
      }
      Map<String, String> s = e.summary();
      Optional<BackfillRun> run = e.runId() == null ? Optional.empty() : lineage.runs().find(e.runId());
      String sources = new TreeMap<>(s).entrySet().stream()
          .filter(x -> x.getKey().startsWith(Lineage.PREFIX + "source.") && x.getKey().endsWith(".snapshot-id"))
          .map(x -> x.getKey().substring((Lineage.PREFIX + "source.").length(), x.getKey().length() - ".snapshot-id".length())
              + "=" + x.getValue())
          .collect(Collectors.joining(", "));
      String detail = switch (e.writer()) {
        case RUN -> "written by run " + e.runId() + (s.containsKey(Lineage.PREFIX + "rebased-from")
            ? " (rebased from snapshot " + s.get(Lineage.PREFIX + "rebased-from") + ")" : "");
        case COMPACTION -> "rewritten by compaction (same rows)";
        case GENERATOR -> "written by generate_events";
        case OUTSIDE -> "written outside the platform by snapshot " + e.snapshotId() + " (" + e.operation() + ")";
      };
      rows.add(new Object[] {(int) day.toEpochDay(), role, e.snapshotId(), Instant.ofEpochMilli(e.committedAtMillis()).toString(),
          e.operation(), e.writer().name().toLowerCase(java.util.Locale.ROOT), e.runId(), s.get(Lineage.FEATURE_VIEW),
          s.get(Lineage.WINDOW), run.map(BackfillRun::startedBy).orElse(null), run.map(BackfillRun::origin).orElse(null),
          s.get(Lineage.GIT_COMMIT), s.containsKey(Lineage.GIT_DIRTY) ? Boolean.valueOf(s.get(Lineage.GIT_DIRTY)) : null,
          s.get(Lineage.DEFINITION_SHA256), sources.isEmpty() ? null : sources, run.map(BackfillRun::reportId).orElse(null),
          run.map(r -> r.publishedAt() == null ? null : r.publishedAt().toString()).orElse(null),
          e.addedFiles(), e.removedFiles(), detail});
    }
    return rows;
  }
}
