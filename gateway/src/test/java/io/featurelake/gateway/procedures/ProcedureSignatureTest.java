package io.featurelake.gateway.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ProcedureSignatureTest {

  private static final ProcedureParam VIEW = ProcedureParam.requiredString("feature_view", "view");
  private static final ProcedureParam DAYS = ProcedureParam.optionalLong("days", 7L, "days");
  private static final ProcedureParam DRY = ProcedureParam.optionalBoolean("dry_run", false, "dry run");

  private static final PlatformProcedure SAMPLE = new PlatformProcedure("sample", List.of(VIEW, DAYS, DRY),
      new StructType().add("x", DataTypes.StringType), "test") {
    @Override
    protected List<Object[]> run(ProcedureArgs args) {
      return List.of();
    }
  };

  private static ProcedureSignature.Argument named(String name, Object type) {
    return new ProcedureSignature.Argument(name, (org.apache.spark.sql.types.DataType) type, "v");
  }

  @Test
  void usageShowsTypesAndDefaults() {
    assertThat(ProcedureSignature.usage(SAMPLE))
        .isEqualTo("lake.platform.sample(feature_view STRING, [days BIGINT = 7], [dry_run BOOLEAN = false])");
  }

  @Test
  void acceptsNamedPositionalWideningAndNull() {
    assertThatCode(() -> ProcedureSignature.check(SAMPLE, List.of(named(null, DataTypes.StringType), named(null, DataTypes.IntegerType))))
        .doesNotThrowAnyException();
    assertThatCode(() -> ProcedureSignature.check(SAMPLE, List.of(named("DRY_RUN", DataTypes.BooleanType), named("feature_view", DataTypes.NullType))))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesEachKindOfMistakeNamingIt() {
    assertRefused(List.of(named("days", DataTypes.IntegerType)),
        "lake.platform.sample: missing required argument 'feature_view'; usage: " + ProcedureSignature.usage(SAMPLE));
    assertRefused(List.of(named("feature_view", DataTypes.StringType), named("dayz", DataTypes.IntegerType)),
        "lake.platform.sample: unknown argument 'dayz'; usage: " + ProcedureSignature.usage(SAMPLE));
    assertRefused(List.of(named("feature_view", DataTypes.StringType), named("days", DataTypes.StringType)),
        "lake.platform.sample: argument 'days' must be BIGINT, got STRING v");
    assertRefused(List.of(named("feature_view", DataTypes.StringType), named(null, DataTypes.IntegerType)),
        "lake.platform.sample: named and positional arguments cannot be mixed; usage: " + ProcedureSignature.usage(SAMPLE));
    assertRefused(List.of(named(null, DataTypes.StringType), named(null, DataTypes.LongType), named(null, DataTypes.BooleanType),
        named(null, DataTypes.StringType)),
        "lake.platform.sample takes at most 3 arguments, got 4; usage: " + ProcedureSignature.usage(SAMPLE));
    assertRefused(List.of(named("feature_view", DataTypes.StringType), named("FEATURE_VIEW", DataTypes.StringType)),
        "lake.platform.sample: argument 'feature_view' is given twice");
  }

  @Test
  void optionalBeforeRequiredIsADeclarationError() {
    assertThatThrownBy(() -> new PlatformProcedure("broken", List.of(DAYS, VIEW), new StructType(), "x") {
      @Override
      protected List<Object[]> run(ProcedureArgs args) {
        return List.of();
      }
    }).hasMessage("broken: optional arguments should follow required ones (feature_view)");
  }

  private static void assertRefused(List<ProcedureSignature.Argument> args, String message) {
    assertThatThrownBy(() -> ProcedureSignature.check(SAMPLE, args))
        .isInstanceOf(PlatformException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_PROCEDURE_ARGUMENT));
  }
}
