package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PsiTest {

  /** An integer-valued feature with heavy ties: round(N(mean, 8)), about 50 distinct values. */
  private static double[] roundedNormal(long seed, int n, double mean) {
    Random random = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.round(mean + 8 * random.nextGaussian());
    }
    return out;
  }

  private static double psiOf(double[] run, double[] baseline) {
    PsiBins bins = binsOf(baseline);
    return PsiBins.psi(bins.count(run), bins.count(baseline));
  }

  /**
   * The bins the audit derives from one pass over the baseline: histogram_numeric's points (exact
   * values and counts while there are at most 65 distinct values, else 65 merged points) and deciles.
   */
  private static PsiBins binsOf(double[] baseline) {
    java.util.TreeMap<Double, Double> counts = new java.util.TreeMap<>();
    for (double v : baseline) {
      counts.merge(v, 1.0, Double::sum);
    }
    int points = Math.min(counts.size(), PsiBins.MAX_DISTINCT_VALUES + 1);
    double[] values = counts.keySet().stream().limit(points).mapToDouble(Double::doubleValue).toArray();
    double[] weights = counts.values().stream().limit(points).mapToDouble(Double::doubleValue).toArray();
    double[] sorted = baseline.clone();
    Arrays.sort(sorted);
    double[] deciles = Arrays.stream(PsiBins.DECILES).map(q -> sorted[(int) Math.ceil(q * sorted.length) - 1]).toArray();
    return PsiBins.fromBaseline(values, weights, deciles);
  }

  @Test
  void twoSamplesOfOneHeavilyTiedIntegerDistributionShowNoDrift() {
    double[] baseline = roundedNormal(1, 5000, 50);
    double[] run = roundedNormal(2, 5000, 50);
    PsiBins bins = binsOf(baseline);
    assertThat(Arrays.stream(baseline).distinct().count()).isBetween(45L, 64L);
    assertThat(bins.kind()).isEqualTo(PsiBins.Kind.VALUES);
    assertThat(bins.bins()).isBetween(10, 21);
    // Every edge is a value of the baseline: no value's ties are ever cut in two.
    assertThat(Arrays.stream(baseline).distinct().toArray()).contains(bins.edges());
    assertThat(psiOf(run, baseline)).isLessThan(0.05);
  }

  @Test
  void aShiftedIntegerDistributionStillFailsTheDefaultThreshold() {
    double[] baseline = roundedNormal(1, 5000, 50);
    double[] shifted = roundedNormal(3, 5000, 56);
    assertThat(psiOf(shifted, baseline)).isGreaterThan(0.25);
  }

  @Test
  void exactPsiEqualsTheHandComputedValue() {
    // Baseline {1,1,2,2,2,3}: bins (-inf,1] (1,2] (2,3] (3,inf) count 2,3,1,0; the run {1,2,2,3,3,4}
    // counts 1,2,2,1. Smoothed shares (count + 0.5) / (6 + 0.5 * 4): q = 2.5, 3.5, 1.5, 0.5 over 8,
    // p = 1.5, 2.5, 2.5, 1.5 over 8. PSI = 0.125 * (ln 5/3 + ln 7/5 + ln 5/3 + ln 3) = 0.125 ln(35/3).
    PsiBins bins = PsiBins.fromBaseline(new double[] {1, 2, 3}, new double[] {2, 3, 1}, null);
    assertThat(bins).isEqualTo(new PsiBins(PsiBins.Kind.VALUES, new double[] {1, 2, 3}));
    long[] base = bins.count(new double[] {1, 1, 2, 2, 2, 3});
    long[] run = bins.count(new double[] {1, 2, 2, 3, 3, 4});
    assertThat(base).containsExactly(2, 3, 1, 0);
    assertThat(run).containsExactly(1, 2, 2, 1);
    assertThat(PsiBins.psi(run, base)).isCloseTo(0.125 * Math.log(35.0 / 3.0), within(1e-12));
    assertThat(PsiBins.psi(run, base)).isCloseTo(0.307092, within(1e-6));
  }

  @Test
  void continuousColumnsUseTheBaselinesDecilesAndTwoSamplesAgree() {
    Random random = new Random(7);
    double[] baseline = random.doubles(20_000).map(u -> -Math.log(1 - u) * 10).toArray();
    double[] run = random.doubles(20_000).map(u -> -Math.log(1 - u) * 10).toArray();
    double[] scaled = random.doubles(20_000).map(u -> -Math.log(1 - u) * 30).toArray();
    assertThat(binsOf(baseline).kind()).isEqualTo(PsiBins.Kind.QUANTILES);
    assertThat(binsOf(baseline).bins()).isEqualTo(10);
    assertThat(psiOf(run, baseline)).isLessThan(0.01);
    assertThat(psiOf(scaled, baseline)).isGreaterThan(0.5);
  }

  @Test
  void aPointMassAtZeroStaysOneBinOnBothSides() {
    // 40% zeros then a long tail (daily revenue per item): the first four deciles are all 0.
    Random random = new Random(11);
    double[] baseline = random.doubles(10_000).map(u -> u < 0.4 ? 0 : Math.exp(8 * u)).toArray();
    double[] run = random.doubles(10_000).map(u -> u < 0.41 ? 0 : Math.exp(8 * u) * 1.02).toArray();
    PsiBins bins = binsOf(baseline);
    assertThat(bins.edges()[0]).isEqualTo(0.0);
    assertThat(bins.bins()).isEqualTo(7);
    assertThat(psiOf(run, baseline)).isLessThan(0.05);
  }

  @Test
  void constantColumnsMovingToANewValueAreStrongDrift() {
    double[] ones = new double[500];
    Arrays.fill(ones, 1);
    double[] twos = new double[500];
    Arrays.fill(twos, 2);
    assertThat(psiOf(ones, ones)).isEqualTo(0.0);
    assertThat(psiOf(twos, ones)).isGreaterThan(1.0);
  }

  @Test
  void cumulativeCountsBecomeBinCounts() {
    PsiBins bins = new PsiBins(PsiBins.Kind.QUANTILES, new double[] {1.5, 4});
    assertThat(bins.binCounts(new long[] {3, 10}, 12)).containsExactly(3, 7, 2);
    assertThatThrownBy(() -> bins.binCounts(new long[] {3}, 12))
        .hasMessage("expected 2 cumulative counts, got 1");
  }

  @Test
  void edgesMustIncrease() {
    assertThatThrownBy(() -> new PsiBins(PsiBins.Kind.QUANTILES, new double[] {2, 2}))
        .hasMessage("PSI edges must be strictly increasing, got [2.0, 2.0]");
    assertThat(PsiBins.fromBaseline(new double[0], new double[0], new double[0])).isNull();
  }

  @Test
  void rareValuesShareABinWithTheirNeighboursAndRepeatedPointsAreSummed() {
    // 0: 88%, 1: 3%, 2: 3%, 3: 6% (histogram_numeric may report a value twice, from two partitions):
    // 1 and 2 share a bin, 3 has its own; a thin tail (9: 1%) joins the last bin.
    PsiBins bins = PsiBins.fromBaseline(new double[] {0, 1, 2, 3, 0}, new double[] {48, 3, 3, 6, 40}, null);
    assertThat(bins).isEqualTo(new PsiBins(PsiBins.Kind.VALUES, new double[] {0, 2, 3}));
    assertThat(bins.count(new double[] {0, 1, 2, 3, 7})).containsExactly(1, 2, 1, 1);
    assertThat(bins.describe()).isEqualTo("4 value bins");
    PsiBins thinTail = PsiBins.fromBaseline(new double[] {0, 1, 2, 9}, new double[] {88, 5, 6, 1}, null);
    assertThat(thinTail).isEqualTo(new PsiBins(PsiBins.Kind.VALUES, new double[] {0, 1}));
  }

  @Test
  void expectedNoiseGrowsWithBinsAndShrinksWithRows() {
    PsiBins ten = new PsiBins(PsiBins.Kind.QUANTILES, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertThat(ten.expectedNoise(1000, 1000)).isCloseTo(9 * 0.002, within(1e-12));
    assertThat(ten.expectedNoise(80, 80)).isGreaterThan(0.125);
  }
}
