package io.featurelake.gateway.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class DateArgumentsTest {

  private static final ProcedureParam DAY = ProcedureParam.requiredString("start_date", "a day");
  private static final ProcedureParam UNTIL = ProcedureParam.optionalString("end_date", "2024-02-29", "a day");

  @Test
  void parsesIsoDatesIgnoringSurroundingBlanks() {
    assertThat(DateArguments.parseIsoDate("lake.platform.p", "start_date", "2023-01-01")).isEqualTo(LocalDate.of(2023, 1, 1));
    assertThat(DateArguments.parseIsoDate("lake.platform.p", "start_date", " 2024-02-29 ")).isEqualTo(LocalDate.of(2024, 2, 29));
  }

  @Test
  void rejectsAnythingButAStrictIsoDateNamingTheArgument() {
    for (String bad : List.of("2023-13-01", "2023-02-30", "2023-1-1", "01/02/2023", "2023-01-01T00:00", "", "yesterday")) {
      assertThatThrownBy(() -> DateArguments.parseIsoDate("lake.platform.generate_events", "start_date", bad))
          .isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROCEDURE_ARGUMENT);
            assertThat(e).hasMessage("lake.platform.generate_events: start_date must be an ISO date (YYYY-MM-DD), got '"
                + bad + "'");
          });
    }
  }

  @Test
  void procedureArgsReadDatesAndDefaults() {
    ProcedureArgs args = new ProcedureArgs("generate_events", List.of(DAY, UNTIL),
        new GenericInternalRow(new Object[] {UTF8String.fromString("2023-01-02"), null}));
    assertThat(args.localDate(DAY)).isEqualTo(LocalDate.of(2023, 1, 2));
    assertThat(args.localDate(UNTIL)).isEqualTo(LocalDate.of(2024, 2, 29));

    ProcedureArgs bad = new ProcedureArgs("generate_events", List.of(DAY, UNTIL),
        new GenericInternalRow(new Object[] {UTF8String.fromString("2023-13-01"), null}));
    assertThatThrownBy(() -> bad.localDate(DAY))
        .hasMessage("lake.platform.generate_events: start_date must be an ISO date (YYYY-MM-DD), got '2023-13-01'");

    ProcedureArgs missing = new ProcedureArgs("generate_events", List.of(DAY, UNTIL), new GenericInternalRow(new Object[] {null, null}));
    assertThatThrownBy(() -> missing.localDate(DAY))
        .hasMessage("lake.platform.generate_events: argument 'start_date' must not be NULL");
  }
}
