package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.training.TrainingSetRequest;
import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import java.util.List;

/**
 * {@code CALL lake.platform.build_training_set(name => 'churn', spine => 'lake.ml.labels',
 * features => 'user_activity_daily.*')}: a point-in-time-correct training set in
 * {@code lake.training.<name>} plus its manifest. One row per joined view.
 */
public final class BuildTrainingSetProcedure extends TypedProcedure<BuildTrainingSetProcedure.Row> {

  public static final String NAME = "build_training_set";

  static final ProcedureParam NAME_ARG = ProcedureParam.requiredString("name", "Name of the set; the table is lake.training.<name>");
  static final ProcedureParam SPINE = ProcedureParam.requiredString("spine",
      "Table with the entity columns, the label time and any label columns (lake.ml.labels), or a SELECT query");
  static final ProcedureParam FEATURES = ProcedureParam.requiredString("features",
      "Comma-separated <view>.<feature> or <view>.* items");
  static final ProcedureParam LABEL_TIME = ProcedureParam.optionalString("label_time_column", "label_time",
      "Spine column (TIMESTAMP or DATE) holding the time of each label");
  static final ProcedureParam ENTITY_MAPPING = ProcedureParam.optionalString("entity_mapping", "",
      "<entity>=<spine column> or <view>.<entity>=<spine column>, comma-separated; unmapped entities match by name");
  static final ProcedureParam MODE = ProcedureParam.optionalString("mode", "as_known_at",
      "as_known_at (rows on main at the label time) or event_time (join on event time at main's current snapshot)");

  /** One joined view of the set (the view columns NULL for a set of none): the columns, declared once. */
  public record Row(@Required String name, @Required String tableName, @Required String mode, long spineRows,
      long outputRows, String featureView, String features, Long ttlSeconds, Long matchedRows, String snapshots,
      String runs, long durationMs) {}

  static final RowSchema<Row> SCHEMA = RowSchema.of(Row.class);

  private final ProcedureServices services;

  public BuildTrainingSetProcedure(ProcedureServices services) {
    super(NAME, List.of(NAME_ARG, SPINE, FEATURES, LABEL_TIME, ENTITY_MAPPING, MODE), RowSchema.of(Row.class),
        "Build a point-in-time-correct training set into lake.training.<name> and record its manifest");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    TrainingSetRequest request = TrainingSetRequest.parse(args.string(NAME_ARG), args.string(SPINE),
        args.string(FEATURES), args.nonBlankString(LABEL_TIME), args.string(ENTITY_MAPPING), args.string(MODE),
        services.user());
    return TrainingSetRows.views(services.trainingSets().build(request));
  }

  /** Rows shared by build and describe: one per joined view. */
  static final class TrainingSetRows {
    private TrainingSetRows() {}

    static List<Row> views(TrainingSetManifest m) {
      if (m.views().isEmpty()) {
        return List.of(new Row(m.name(), m.tableName(), m.mode(), m.spineRows(), m.outputRows(), null, null, null, null,
            null, null, m.durationMs()));
      }
      return m.views().stream().map(v -> new Row(m.name(), m.tableName(), m.mode(), m.spineRows(), m.outputRows(),
          v.featureView(), String.join(", ", v.features()), v.ttlSeconds(), v.matchedRows(),
          v.snapshots().stream().map(s -> s.snapshotId() + " (" + s.pinRef() + ")").reduce((a, b) -> a + ", " + b).orElse(""),
          v.runs().stream().map(r -> "run " + r.runId() + ": " + r.rowsUsed()).reduce((a, b) -> a + ", " + b).orElse(""),
          m.durationMs())).toList();
    }
  }
}
