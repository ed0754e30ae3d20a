package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import java.time.OffsetDateTime;
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

/**
 * {@code CALL lake.platform.lineage_partition(table => 'features.v', partition => '2023-01-02')}:
 * what produced a day partition. One row per commit on main that changed it, newest first, back
 * to the commit that replaced it whole; the first row with {@code role = 'latest writer'} is the
 * answer.
 */
public final class LineagePartitionProcedure extends TypedProcedure<LineagePartitionProcedure.Row> {

  public static final String NAME = "lineage_partition";

  static final ProcedureParam TABLE = ProcedureParam.requiredString("table", "'namespace.table' or 'lake.namespace.table'");
  static final ProcedureParam PARTITION = ProcedureParam.requiredString("partition", "The day, 'YYYY-MM-DD'");

  /** One commit that changed the partition: the columns, declared once. */
  public record Row(@Required LocalDate partition, @Required String role, long snapshotId, @Required Instant committedAt,
      @Required String operation, @Required String writtenBy, Long runId, String featureView, String window,
      String startedBy, String origin, String gitCommit, Boolean gitDirty, String definitionSha256, String sourceSnapshots,
      Long auditReportId, OffsetDateTime publishedAt, int addedFiles, int removedFiles, @Required String detail) {}

  private final ProcedureServices services;

  public LineagePartitionProcedure(ProcedureServices services) {
    super(NAME, List.of(TABLE, PARTITION), RowSchema.of(Row.class), "What produced a day partition: the commits and runs behind it");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    String table = args.nonBlankString(TABLE);
    LocalDate day = args.localDate(PARTITION);
    var lineage = services.lineage();
    List<Row> rows = new ArrayList<>();
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
      rows.add(new Row(day, role, e.snapshotId(), Instant.ofEpochMilli(e.committedAtMillis()), e.operation(),
          e.writer().name(), e.runId(), s.get(Lineage.FEATURE_VIEW), s.get(Lineage.WINDOW),
          run.map(BackfillRun::startedBy).orElse(null), run.map(BackfillRun::origin).orElse(null), s.get(Lineage.GIT_COMMIT),
          s.containsKey(Lineage.GIT_DIRTY) ? Boolean.valueOf(s.get(Lineage.GIT_DIRTY)) : null,
          s.get(Lineage.DEFINITION_SHA256), sources.isEmpty() ? null : sources, run.map(BackfillRun::reportId).orElse(null),
          run.map(BackfillRun::publishedAt).orElse(null), e.addedFiles(), e.removedFiles(), detail));
    }
    return rows;
  }
}
