package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.features.Expectation;
import org.junit.jupiter.api.Test;

/** The audit's rules on figures given by hand: verdicts, observed values and the exact lines a person reads. */
class AuditChecksTest {

  private static final String AGAINST = "preceding days baseline 2023-01-01..2023-01-05 (5 days, 500 rows)";
  private static final PsiBins THREE_VALUES = new PsiBins(PsiBins.Kind.VALUES, new double[] {1, 2});

  @Test
  void rowCountFailsBelowTheMinimumAndSaysByHowMuch() {
    assertThat(AuditChecks.rowCount(10, 10).detail()).isEqualTo("10 rows >= minimum 10");
    AuditCheck shortRun = AuditChecks.rowCount(7, 10);
    assertThat(shortRun.passed()).isFalse();
    assertThat(shortRun.detail()).isEqualTo("7 rows < minimum 10 (short by 3)");
  }

  @Test
  void rowCountChangeComparesRowsPerDayAndIsSkippedWithoutABaseline() {
    AuditCheck first = AuditChecks.rowCountChange(0.5, null, 100, 1, 0, "no baseline");
    assertThat(first.skipped()).isTrue();
    assertThat(first.detail()).isEqualTo("SKIPPED: " + AuditChecks.FIRST_PUBLISH);
    assertThat(AuditChecks.rowCountChange(0.5, 0L, 100, 1, 5, AGAINST).detail())
        .isEqualTo("SKIPPED: the " + AGAINST + " has no rows");

    // A 2-day run of 200 rows against 5 days of 500: the same 100 rows a day, not a 60% drop.
    AuditCheck same = AuditChecks.rowCountChange(0.5, 500L, 200, 2, 5, AGAINST);
    assertThat(same.passed()).isTrue();
    assertThat(same.observed()).isEqualTo(0.0);
    assertThat(same.detail()).isEqualTo("100 rows/day over 2 day(s) vs 100 rows/day in the " + AGAINST
        + ": +0.0% <= 50.0% allowed");

    AuditCheck drop = AuditChecks.rowCountChange(0.5, 500L, 40, 1, 5, AGAINST);
    assertThat(drop.passed()).isFalse();
    assertThat(drop.observed()).isCloseTo(0.6, within(1e-12));
    assertThat(drop.detail()).isEqualTo("40 rows/day over 1 day(s) vs 100 rows/day in the " + AGAINST
        + ": -60.0% > 50.0% allowed");
  }

  @Test
  void duplicateKeysNullRatesAndExpectationsReadAsTheirLimits() {
    assertThat(AuditChecks.duplicateKeys("item_id,event_date", 3, 0).detail())
        .isEqualTo("3 duplicate (entity, timestamp) keys > 0 allowed");
    assertThat(AuditChecks.duplicateKeys("item_id,event_date", 0, 0).passed()).isTrue();

    AuditCheck nulls = AuditChecks.nullRate("revenue", 12, 100, 0.05);
    assertThat(nulls.passed()).isFalse();
    assertThat(nulls.detail()).isEqualTo("12.0% NULL > 5.0% allowed (by 7.0 points)");
    assertThat(AuditChecks.nullRate("revenue", 5, 100, 0.05).detail()).isEqualTo("5.0% NULL <= 5.0% allowed");

    Expectation rate = new Expectation("rate_in_range", "conversion_rate BETWEEN 0 AND 1", 0.01);
    AuditCheck violated = AuditChecks.expectation(rate, 3, 200);
    assertThat(violated.passed()).isFalse();
    assertThat(violated.column()).isEqualTo("rate_in_range");
    assertThat(violated.detail()).isEqualTo("3 of 200 rows (1.50%) violate conversion_rate BETWEEN 0 AND 1; > 1.00% allowed");
    assertThat(AuditChecks.expectation(rate, 2, 200).passed()).isTrue();
  }

  @Test
  void psiIsComputedOnTheGivenCountsAndComparedWithItsLimit() {
    // Smoothed shares (count + 0.5) / (100 + 1.5): PSI = 20/101.5 * (ln(50.5/30.5) + ln(40.5/20.5)) = 0.2335...
    AuditCheck close = AuditChecks.psi("views", 0.25, true, THREE_VALUES, new long[] {50, 30, 20},
        new long[] {30, 30, 40}, AGAINST);
    assertThat(close.passed()).isTrue();
    assertThat(close.observed()).isCloseTo(0.23352191933715843, within(1e-12));
    assertThat(close.detail()).isEqualTo("PSI 0.234 <= 0.250 allowed over 3 value bins vs " + AGAINST);

    AuditCheck shifted = AuditChecks.psi("views", 0.25, true, THREE_VALUES, new long[] {80, 10, 10},
        new long[] {30, 30, 40}, AGAINST);
    assertThat(shifted.passed()).isFalse();
    assertThat(shifted.detail()).isEqualTo("PSI 1.087 > 0.250 allowed over 3 value bins vs " + AGAINST + " (by 0.837)");
  }

  @Test
  void psiIsSkippedWithTheReasonWheneverItWouldMeanNothing() {
    assertThat(AuditChecks.psi("views", 0.25, false, null, null, null, "no baseline").detail())
        .isEqualTo("SKIPPED: " + AuditChecks.FIRST_PUBLISH);
    assertThat(AuditChecks.psi("views", 0.25, true, null, null, null, AGAINST).detail())
        .isEqualTo("SKIPPED: the " + AGAINST + " has no values of views");
    assertThat(AuditChecks.psi("views", 0.25, true, THREE_VALUES, new long[] {40, 30, 20}, new long[] {30, 30, 40},
        AGAINST).detail()).isEqualTo("SKIPPED: 90 run values and 100 baseline values (" + AGAINST
            + "); PSI needs at least 100 on each side to mean anything");
    // Noise (3 - 1) * (1/100 + 1/100) = 0.04 is more than half of a 0.05 limit.
    AuditCheck noisy = AuditChecks.psi("views", 0.05, true, THREE_VALUES, new long[] {50, 30, 20},
        new long[] {30, 30, 40}, AGAINST);
    assertThat(noisy.skipped()).isTrue();
    assertThat(noisy.detail()).isEqualTo("SKIPPED: 100 run values and 100 baseline values over 3 value bins (" + AGAINST
        + "): sampling noise alone would give PSI about 0.040, more than half the 0.050 allowed");
  }
}
