package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.RunUsage;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.ViewInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CALL lake.platform.describe_training_set(name => 'churn')}: the manifest as
 * (section, item, value) rows: the set, then per view its definition, TTL, pinned snapshots
 * with the interval each was main's current one, and the runs whose rows were used.
 */
public final class DescribeTrainingSetProcedure extends TypedProcedure<DescribeTrainingSetProcedure.Row> {

  public static final String NAME = "describe_training_set";

  static final ProcedureParam NAME_ARG = ProcedureParam.requiredString("name", "A training set");

  /** One item of the manifest: the columns, declared once. */
  public record Row(@Required String section, @Required String item, String value) {}

  private final ProcedureServices services;

  public DescribeTrainingSetProcedure(ProcedureServices services) {
    super(NAME, List.of(NAME_ARG), RowSchema.of(Row.class), "The manifest of a training set: inputs, snapshots, runs, counts");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    TrainingSetManifest m = services.trainingSets().describe(args.nonBlankString(NAME_ARG));
    List<Row> rows = new ArrayList<>();
    String set = "training_set";
    add(rows, set, "name", m.name());
    add(rows, set, "table", m.tableName() + (m.outputSnapshotId() == null ? "" : " @ " + m.outputSnapshotId()));
    add(rows, set, "mode", m.mode());
    add(rows, set, "spine", m.spine() + (m.spineSnapshotId() == null ? "" : " @ " + m.spineSnapshotId()));
    add(rows, set, "label_time_column", m.labelTimeColumn());
    add(rows, set, "label_times", m.minLabelMs() == null ? "none"
        : Instant.ofEpochMilli(m.minLabelMs()) + " .. " + Instant.ofEpochMilli(m.maxLabelMs()));
    add(rows, set, "features", m.features());
    add(rows, set, "entity_mapping", m.entityMapping());
    add(rows, set, "spine_rows", String.valueOf(m.spineRows()));
    add(rows, set, "output_rows", String.valueOf(m.outputRows()));
    add(rows, set, "git_commit", m.gitCommit());
    add(rows, set, "created", m.createdAt() + " by " + m.createdBy() + " in " + m.durationMs() + " ms");
    for (ViewInput v : m.views()) {
      String section = "view " + v.featureView();
      add(rows, section, "table", v.tableName());
      add(rows, section, "definition_sha256", v.definitionSha256());
      add(rows, section, "definition_commit", v.definitionCommit());
      add(rows, section, "entities", v.entityColumns() + " = spine " + v.spineColumns());
      add(rows, section, "event_time_column", v.eventTimeColumn());
      add(rows, section, "features", String.join(", ", v.features()));
      add(rows, section, "ttl_seconds", v.ttlSeconds() == null ? "none" : String.valueOf(v.ttlSeconds()));
      add(rows, section, "matched_rows", String.valueOf(v.matchedRows()));
      for (PinnedSnapshot s : v.snapshots()) {
        add(rows, section, "snapshot " + s.snapshotId(), "main from " + time(s.visibleFromMs()) + " until "
            + time(s.visibleUntilMs()) + ", kept by tag " + s.pinRef());
      }
      for (RunUsage r : v.runs()) {
        add(rows, section, "run " + r.runId(), r.rowsUsed() + " spine row(s)");
      }
    }
    return rows;
  }

  private static String time(Long ms) {
    return ms == null ? "unbounded" : Instant.ofEpochMilli(ms).toString();
  }

  private static void add(List<Row> rows, String section, String item, String value) {
    rows.add(new Row(section, item, value));
  }
}
