package io.featurelake.gateway.procedures;

import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code CALL lake.platform.list_training_sets()}: every training set, newest first. */
public final class ListTrainingSetsProcedure extends PlatformProcedure {

  public static final String NAME = "list_training_sets";

  private static final StructType OUTPUT = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("table_name", DataTypes.StringType, false)
      .add("mode", DataTypes.StringType, false)
      .add("spine", DataTypes.StringType, false)
      .add("spine_snapshot_id", DataTypes.LongType, true)
      .add("feature_views", DataTypes.StringType, false)
      .add("spine_rows", DataTypes.LongType, false)
      .add("output_rows", DataTypes.LongType, false)
      .add("created_by", DataTypes.StringType, false)
      .add("created_at", DataTypes.StringType, false)
      .add("git_commit", DataTypes.StringType, true);

  private final ProcedureServices services;

  public ListTrainingSetsProcedure(ProcedureServices services) {
    super(NAME, List.of(), OUTPUT, "Training sets, newest first");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    List<Object[]> rows = new ArrayList<>();
    for (TrainingSetManifest m : services.trainingSets().list()) {
      rows.add(new Object[] {m.name(), m.tableName(), m.mode(), m.spine(), m.spineSnapshotId(),
          String.join(", ", m.views().stream().map(TrainingSetManifest.ViewInput::featureView).toList()), m.spineRows(),
          m.outputRows(), m.createdBy(), m.createdAt().toString(), m.gitCommit()});
    }
    return rows;
  }
}
