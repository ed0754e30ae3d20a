package io.featurelake.gateway.procedures;

import io.featurelake.gateway.training.TrainingSetRequest;
import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.build_training_set(name => 'churn', spine => 'lake.ml.labels',
 * features => 'user_activity_daily.*')}: a point-in-time-correct training set in
 * {@code lake.training.<name>} plus its manifest. One row per joined view.
 */
public final class BuildTrainingSetProcedure extends PlatformProcedure {

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

  static final StructType OUTPUT = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, false)
      .add("spine_rows", DataTypes.LongType, false)
      .add("output_rows", DataTypes.LongType, false)
      .add("feature_view", DataTypes.StringType, true)
      .add("features", DataTypes.StringType, true)
      .add("ttl_seconds", DataTypes.LongType, true)
      .add("matched_rows", DataTypes.LongType, true)
      .add("snapshots", DataTypes.StringType, true)
      .add("runs", DataTypes.StringType, true)
      .add("duration_ms", DataTypes.LongType, false);

  private final ProcedureServices services;

  public BuildTrainingSetProcedure(ProcedureServices services) {
    super(NAME, List.of(NAME_ARG, SPINE, FEATURES, LABEL_TIME, ENTITY_MAPPING, MODE), OUTPUT,
        "Build a point-in-time-correct training set into lake.training.<name> and record its manifest");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    TrainingSetRequest request = TrainingSetRequest.parse(args.string(NAME_ARG), args.string(SPINE),
        args.string(FEATURES), args.nonBlankString(LABEL_TIME), args.string(ENTITY_MAPPING), args.string(MODE),
        services.user());
    return TrainingSetRows.views(services.trainingSets().build(request));
  }

  /** Rows shared by build and describe: one per joined view. */
  static final class TrainingSetRows {
    private TrainingSetRows() {}

    static List<Object[]> views(TrainingSetManifest m) {
      if (m.views().isEmpty()) {
        return List.<Object[]>of(new Object[] {m.name(), m.tableName(), m.mode(), m.spineRows(), m.outputRows(), null, null,
            null, null, null, null, m.durationMs()});
      }
      return m.views().stream().map(v -> new Object[] {m.name(), m.tableName(), m.mode(), m.spineRows(), m.outputRows(),
          v.featureView(), String.join(", ", v.features()), v.ttlSeconds(), v.matchedRows(),
          v.snapshots().stream().map(s -> s.snapshotId() + " (" + s.pinRef() + ")").reduce((a, b) -> a + ", " + b).orElse(""),
          v.runs().stream().map(r -> "run " + r.runId() + ": " + r.rowsUsed()).reduce((a, b) -> a + ", " + b).orElse(""),
          m.durationMs()}).toList();
    }
  }
}
