package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import java.time.OffsetDateTime;
import io.featurelake.sqlcatalog.training.TrainingSetManifest;
import java.util.ArrayList;
import java.util.List;

/** {@code CALL lake.platform.list_training_sets()}: every training set, newest first. */
public final class ListTrainingSetsProcedure extends TypedProcedure<ListTrainingSetsProcedure.Row> {

  public static final String NAME = "list_training_sets";

  /** One training set: the columns, declared once. */
  public record Row(@Required String name, @Required String tableName, @Required String mode, @Required String spine,
      Long spineSnapshotId, @Required String featureViews, long spineRows, long outputRows, @Required String createdBy,
      @Required OffsetDateTime createdAt, String gitCommit) {}

  private final ProcedureServices services;

  public ListTrainingSetsProcedure(ProcedureServices services) {
    super(NAME, List.of(), RowSchema.of(Row.class), "Training sets, newest first");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    List<Row> rows = new ArrayList<>();
    for (TrainingSetManifest m : services.trainingSets().list()) {
      rows.add(new Row(m.name(), m.tableName(), m.mode(), m.spine(), m.spineSnapshotId(),
          String.join(", ", m.views().stream().map(TrainingSetManifest.ViewInput::featureView).toList()), m.spineRows(),
          m.outputRows(), m.createdBy(), m.createdAt(), m.gitCommit()));
    }
    return rows;
  }
}
