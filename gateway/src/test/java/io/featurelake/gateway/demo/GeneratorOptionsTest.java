package io.featurelake.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GeneratorOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    GeneratorOptions o = GeneratorOptions.defaults();
    assertThat(o.eventsPerDay()).isEqualTo(100_000);
    assertThat(o.users()).isEqualTo(50_000);
    assertThat(o.items()).isEqualTo(5_000);
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.mode()).isEqualTo(GeneratorMode.NORMAL);
    assertThat(o.partitions()).isZero();
    assertThat(o).hasToString("events_per_day=100000, users=50000, items=5000, seed=42, mode=normal");
  }

  @Test
  void toBuilderKeepsEveryValue() {
    GeneratorOptions o = GeneratorOptions.builder().eventsPerDay(7).users(8).items(9).seed(-1)
        .mode(GeneratorMode.SHIFTED).partitions(3).build();
    assertThat(o.toBuilder().build()).hasToString(o.toString())
        .hasToString("events_per_day=7, users=8, items=9, seed=-1, mode=shifted, partitions=3");
  }

  @Test
  void eventsPerDayOutOfRangeIsRejectedWithTheValue() {
    assertInvalid(() -> GeneratorOptions.builder().eventsPerDay(0).build(),
        "events_per_day must be between 1 and 100000000, got 0");
    assertInvalid(() -> GeneratorOptions.builder().eventsPerDay(100_000_001).build(),
        "events_per_day must be between 1 and 100000000, got 100000001");
    assertThat(GeneratorOptions.builder().eventsPerDay(100_000_000).build().eventsPerDay()).isEqualTo(100_000_000);
  }

  @Test
  void usersAndItemsMustBePositive() {
    assertInvalid(() -> GeneratorOptions.builder().users(0).build(), "users must be between 1 and 1000000000, got 0");
    assertInvalid(() -> GeneratorOptions.builder().items(-5).build(), "items must be between 1 and 1000000000, got -5");
    assertInvalid(() -> GeneratorOptions.builder().partitions(-1).build(), "partitions must be between 0 and 100000, got -1");
  }

  @Test
  void modeIsParsedCaseInsensitivelyAndUnknownNamesListTheValidOnes() {
    assertThat(GeneratorMode.parse("NULL_amounts")).isEqualTo(GeneratorMode.NULL_AMOUNTS);
    assertThat(GeneratorMode.parse(" shifted ")).isEqualTo(GeneratorMode.SHIFTED);
    assertThat(GeneratorOptions.builder().mode("normal").build().mode()).isEqualTo(GeneratorMode.NORMAL);
    assertInvalid(() -> GeneratorMode.parse("broken"), "mode must be one of normal, null_amounts, shifted, got 'broken'");
    assertInvalid(() -> GeneratorMode.parse(null), "mode must be one of normal, null_amounts, shifted, got NULL");
  }

  @Test
  void windowMustBeNonEmptyAndAtMostTenYears() {
    LocalDate jan1 = LocalDate.of(2023, 1, 1);
    assertThat(EventGenerator.checkWindow(jan1, jan1.plusDays(1))).isEqualTo(1);
    assertThat(EventGenerator.checkWindow(jan1, jan1.plusDays(3660))).isEqualTo(3660);
    assertInvalid(() -> EventGenerator.checkWindow(jan1, jan1),
        "end_date must be after start_date, got start_date=2023-01-01, end_date=2023-01-01");
    assertInvalid(() -> EventGenerator.checkWindow(LocalDate.of(2023, 1, 5), LocalDate.of(2023, 1, 2)),
        "end_date must be after start_date, got start_date=2023-01-05, end_date=2023-01-02");
    assertInvalid(() -> EventGenerator.checkWindow(jan1, jan1.plusDays(3661)),
        "the window from start_date=2023-01-01 to end_date=2033-01-09 spans 3661 days; at most 3660 are allowed");
  }

  private static void assertInvalid(Runnable call, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(PlatformException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROCEDURE_ARGUMENT);
      assertThat(e).hasMessage(message);
    });
  }
}
