package io.featurelake.gateway.procedures;

import io.featurelake.gateway.procedures.RowSchema.Required;
import io.featurelake.gateway.training.RebuildResult;
import java.util.List;

/**
 * {@code CALL lake.platform.rebuild_training_set(name => 'churn')}: recompute a training set
 * from its manifest alone and compare it row for row with the stored one.
 */
public final class RebuildTrainingSetProcedure extends TypedProcedure<RebuildTrainingSetProcedure.Row> {

  public static final String NAME = "rebuild_training_set";

  static final ProcedureParam NAME_ARG = ProcedureParam.requiredString("name", "A training set built before");

  /** The comparison: the columns, declared once. */
  public record Row(@Required String name, @Required String verdict, long storedRows, long rebuiltRows,
      long differingRows, long extraRows, @Required String detail) {}

  private final ProcedureServices services;

  public RebuildTrainingSetProcedure(ProcedureServices services) {
    super(NAME, List.of(NAME_ARG), RowSchema.of(Row.class), "Rebuild a training set from its manifest; IDENTICAL or DIFFERS");
    this.services = services;
  }

  @Override
  protected List<Row> rows(ProcedureArgs args) {
    RebuildResult r = services.trainingSets().rebuild(args.nonBlankString(NAME_ARG));
    return List.of(new Row(r.name(), r.verdict().name(), r.storedRows(), r.rebuiltRows(), r.differingRows(),
        r.extraRows(), r.detail()));
  }
}
