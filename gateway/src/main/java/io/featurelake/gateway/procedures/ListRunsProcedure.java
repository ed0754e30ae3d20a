package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code CALL lake.platform.list_runs([feature_view => 'v', limit => 20])}: runs, newest first. */
public final class ListRunsProcedure extends TypedProcedure<ListRunsProcedure.Row> {

  public static final String NAME = "list_runs";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only runs of this view");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many runs (1 to 10000)");
  static final ProcedureParam OFFSET = ProcedureParam.optionalInt("offset", 0, "Skip this many of the newest runs (0 or more)");

  /** The columns, declared once. */
  public record Row(long runId, @Required String featureView, @Required String window, @Required String state, Long rowCount,
      Long reportId, Long publishedSnapshotId, @Required String startedBy, @Required String origin, String gitCommit,
      @Required String definitionSha256, @Required OffsetDateTime createdAt, @Required OffsetDateTime updatedAt,
      String message) {}

  private final ProcedureServices services;

  public ListRunsProcedure(ProcedureServices services) {
    super(NAME, List.of(FEATURE_VIEW, LIMIT, OFFSET), RowSchema.of(Row.class), "Backfill runs, newest first");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    PageRequest page = PageRequest.of(args.procedure(), args.intValue(OFFSET), args.intValue(LIMIT));
    return services.core().runs().list(args.string(FEATURE_VIEW), null, page).items().stream()
        .map(r -> new Row(r.runId(), r.featureView(), r.window(), r.state().name(), r.rowCount(), r.reportId(),
            r.publishedSnapshotId(), r.startedBy(), r.origin(),
            // "unknown" as in the snapshot summary and lineage (a definition outside git or never committed).
            r.gitCommit() == null ? "unknown" : r.gitCommit(), r.definitionSha256(), r.createdAt(),
            r.updatedAt(), r.message()))
        .toList();
  }
}
