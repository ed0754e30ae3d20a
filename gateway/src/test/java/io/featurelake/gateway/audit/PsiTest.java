package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class PsiTest {

  /** Percentiles 1%..99% of a distribution given by its inverse CDF. */
  private static double[] percentiles(DoubleUnaryOperator inverseCdf) {
    double[] p = new double[99];
    for (int i = 0; i < 99; i++) {
      p[i] = inverseCdf.applyAsDouble((i + 1) / 100.0);
    }
    return p;
  }

  @Test
  void identicalDistributionsHaveNoDrift() {
    double[] uniform = percentiles(q -> q * 100);
    assertThat(AuditService.psi(uniform, uniform)).isLessThan(1e-9);
  }

  @Test
  void aThreefoldScaleIsStrongDrift() {
    double[] base = percentiles(q -> -Math.log(1 - q) * 10);
    double[] shifted = percentiles(q -> -Math.log(1 - q) * 30);
    assertThat(AuditService.psi(shifted, base)).isGreaterThan(0.5);
  }

  @Test
  void aSmallShiftStaysUnderTheDefaultThreshold() {
    double[] base = percentiles(q -> q * 100);
    double[] nudged = percentiles(q -> q * 100 + 2);
    assertThat(AuditService.psi(nudged, base)).isBetween(0.0, 0.25);
  }

  @Test
  void constantColumnsDoNotExplode() {
    double[] ones = percentiles(q -> 1);
    double[] twos = percentiles(q -> 2);
    assertThat(AuditService.psi(ones, ones)).isLessThan(1e-9);
    assertThat(AuditService.psi(twos, ones)).isGreaterThan(1.0);
  }

  @Test
  void twoSamplesOfOneSkewedDistributionWithAPointMassAtZeroShowNoDrift() {
    // 5% zeros, then a long tail: the shape of daily revenue per item.
    double[] base = percentiles(q -> q <= 0.05 ? 0 : Math.exp(8 * (q - 0.05)));
    double[] run = percentiles(q -> q <= 0.055 ? 0 : Math.exp(8 * (q - 0.055)) * 1.02);
    assertThat(AuditService.psi(run, base)).isLessThan(0.05);
  }
}
