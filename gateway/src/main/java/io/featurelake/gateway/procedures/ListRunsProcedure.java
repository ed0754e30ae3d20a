package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.list_runs([feature_view => 'v', limit => 20])}: runs, newest first. */
public final class ListRunsProcedure extends PlatformProcedure {

  public static final String NAME = "list_runs";

  static final ProcedureParam FEATURE_VIEW = ProcedureParam.optionalString("feature_view", null, "Only runs of this view");
  static final ProcedureParam LIMIT = ProcedureParam.optionalInt("limit", 20, "At most this many runs (1 to 10000)");

  private static final StructType OUTPUT = new StructType()
      .add("run_id", DataTypes.LongType, false)
      .add("feature_view", DataTypes.StringType, false)
      .add("window", DataTypes.StringType, false)
      .add("state", DataTypes.StringType, false)
      .add("row_count", DataTypes.LongType, true)
      .add("report_id", DataTypes.LongType, true)
      .add("published_snapshot_id", DataTypes.LongType, true)
      .add("started_by", DataTypes.StringType, false)
      .add("origin", DataTypes.StringType, false)
      .add("git_commit", DataTypes.StringType, true)
      .add("definition_sha256", DataTypes.StringType, false)
      .add("created_at", DataTypes.StringType, false)
      .add("updated_at", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true);

  public ListRunsProcedure() {
    super(NAME, List.of(FEATURE_VIEW, LIMIT), OUTPUT, "Backfill runs, newest first");
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    int limit = args.intValue(LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw PlatformException.invalidArgument("lake.platform.list_runs: limit must be between 1 and 10000, got %d", limit);
    }
    List<Object[]> rows = new ArrayList<>();
    for (BackfillRun r : ProcedureContext.backfills().runs().list(args.string(FEATURE_VIEW), limit)) {
      rows.add(new Object[] {r.runId(), r.featureView(), r.window(), r.state().name(), r.rowCount(), r.reportId(),
          r.publishedSnapshotId(), r.startedBy(), r.origin(), r.gitCommit(), r.definitionSha256(),
          r.createdAt().toString(), r.updatedAt().toString(), r.message()});
    }
    return rows;
  }
}
