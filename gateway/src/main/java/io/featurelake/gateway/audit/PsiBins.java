package io.featurelake.gateway.audit;

import java.util.Arrays;
import java.util.Locale;

/**
 * The bins of one column's PSI and the exact arithmetic on their counts (no Spark here, so every
 * rule is unit-tested). Bins come from the baseline and are right-closed intervals over sorted
 * edges {@code e1 < e2 < ... < ek}: {@code (-inf, e1], (e1, e2], ..., (e(k-1), ek], (ek, +inf)}.
 *
 * <ul>
 *   <li>{@link Kind#VALUES}: the baseline has at most {@link #MAX_DISTINCT_VALUES} distinct values
 *       (counts, flags, small integer percentiles, ratios with small denominators): the edges are
 *       values, so each value has a bin of its own, except that rare neighbours are merged until
 *       every bin holds at least {@link #MIN_BIN_SHARE} of the baseline (at most 20 bins: with
 *       more, sampling noise alone approaches the thresholds). A value is never split, and a run
 *       value the baseline never had lands in the next value's bin or the last, open one.</li>
 *   <li>{@link Kind#QUANTILES}: otherwise the baseline's deciles, with equal deciles merged: a
 *       point mass (many zeros) stays one bin on both sides instead of being cut in two.</li>
 * </ul>
 *
 * <p>Counts are exact on both sides (cumulative counts {@code count(v <= e_i)} observed in the
 * write and in one pass over the baseline). NULLs are not binned (the null-rate check covers
 * them). Empty bins are smoothed by adding {@link #SMOOTHING} to every bin's count on both sides,
 * {@code share_i = (count_i + 0.5) / (n + 0.5 * bins)}, so PSI stays finite and a bin that is
 * empty on one side still counts with about its real weight.
 */
public record PsiBins(Kind kind, double[] edges) {

  /** How the edges were chosen. */
  public enum Kind { VALUES, QUANTILES }

  /** A baseline with at most this many distinct values gets value bins (histogram_numeric is exact up to there). */
  public static final int MAX_DISTINCT_VALUES = 64;
  /** Least share of the baseline in one value bin; rarer neighbouring values share a bin. */
  public static final double MIN_BIN_SHARE = 0.05;
  /** Added to every bin's count on both sides before shares are taken (Jeffreys' prior). */
  public static final double SMOOTHING = 0.5;
  /** The baseline quantiles whose values become edges of continuous columns. */
  public static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  public PsiBins {
    edges = edges.clone();
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i - 1] < edges[i])) {
        throw new IllegalArgumentException("PSI edges must be strictly increasing, got " + Arrays.toString(edges));
      }
    }
    if (edges.length == 0) {
      throw new IllegalArgumentException("PSI needs at least one edge");
    }
  }

  /**
   * Chooses the bins from what one pass over the baseline gives: the points of a
   * {@code histogram_numeric(v, MAX_DISTINCT_VALUES + 1)} ({@code values} with their
   * {@code counts}; exact while there are at most that many distinct values, and a value may
   * appear more than once) and {@code deciles}, its approximate deciles. Null when the baseline
   * has no non-NULL value.
   */
  public static PsiBins fromBaseline(double[] values, double[] counts, double[] deciles) {
    java.util.TreeMap<Double, Double> byValue = new java.util.TreeMap<>();
    for (int i = 0; values != null && i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        byValue.merge(values[i], counts[i], Double::sum);
      }
    }
    if (!byValue.isEmpty() && byValue.size() <= MAX_DISTINCT_VALUES) {
      return new PsiBins(Kind.VALUES, mergeRareValues(byValue));
    }
    double[] edges = distinctSorted(deciles == null ? new double[0] : deciles);
    return edges.length == 0 ? null : new PsiBins(Kind.QUANTILES, edges);
  }

  /** Upper edges of value bins, each closing once it holds MIN_BIN_SHARE of the baseline; a thin tail joins the last bin. */
  private static double[] mergeRareValues(java.util.SortedMap<Double, Double> counts) {
    double total = counts.values().stream().mapToDouble(Double::doubleValue).sum();
    java.util.List<Double> edges = new java.util.ArrayList<>();
    double open = 0;
    for (java.util.Map.Entry<Double, Double> e : counts.entrySet()) {
      open += e.getValue();
      if (open >= MIN_BIN_SHARE * total) {
        edges.add(e.getKey());
        open = 0;
      }
    }
    if (open > 0 && edges.size() > 1) {
      edges.remove(edges.size() - 1);
    }
    if (edges.isEmpty()) {
      edges.add(counts.lastKey());
    }
    return edges.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * PSI's expected value when both sides are samples of one distribution: about (bins - 1) *
   * (1/n + 1/m). When it exceeds half the threshold, a PSI would mostly measure sampling noise,
   * so the audit lists the check as SKIPPED instead of failing on noise.
   */
  public double expectedNoise(long runValues, long baselineValues) {
    return (bins() - 1) * (1.0 / Math.max(1, runValues) + 1.0 / Math.max(1, baselineValues));
  }

  /** Number of bins: one per edge and the open one above the last. */
  public int bins() {
    return edges.length + 1;
  }

  /** Bin counts from the cumulative counts {@code count(v <= e_i)} and the number of non-NULL values. */
  public long[] binCounts(long[] cumulative, long nonNull) {
    if (cumulative.length != edges.length) {
      throw new IllegalArgumentException("expected " + edges.length + " cumulative counts, got " + cumulative.length);
    }
    long[] out = new long[bins()];
    long previous = 0;
    for (int i = 0; i < edges.length; i++) {
      out[i] = cumulative[i] - previous;
      previous = cumulative[i];
    }
    out[edges.length] = nonNull - previous;
    return out;
  }

  /** Exact bin counts of plain values (NaN sorts last, as in Spark): what the Spark aggregate computes. */
  public long[] count(double[] values) {
    long[] out = new long[bins()];
    for (double v : values) {
      int i = Arrays.binarySearch(edges, v);
      out[i >= 0 ? i : -i - 1]++;
    }
    return out;
  }

  /** PSI = sum over bins of (p - q) ln(p / q), p the run's smoothed share and q the baseline's. */
  public static double psi(long[] run, long[] baseline) {
    if (run.length != baseline.length) {
      throw new IllegalArgumentException("run has " + run.length + " bins, baseline " + baseline.length);
    }
    double[] p = shares(run);
    double[] q = shares(baseline);
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      total += (p[i] - q[i]) * Math.log(p[i] / q[i]);
    }
    return total;
  }

  /** Smoothed shares of the bins: (count + 0.5) / (n + 0.5 * bins). */
  static double[] shares(long[] counts) {
    double n = 0;
    for (long c : counts) {
      n += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = (counts[i] + SMOOTHING) / (n + SMOOTHING * counts.length);
    }
    return out;
  }

  /** How the bins read in a report: "50 value bins" or "10 decile bins". */
  public String describe() {
    return kind == Kind.VALUES ? String.format(Locale.ROOT, "%d value bins", bins())
        : String.format(Locale.ROOT, "%d quantile bins", bins());
  }

  private static double[] distinctSorted(double[] values) {
    return Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().distinct().toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PsiBins other && kind == other.kind && Arrays.equals(edges, other.edges);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(edges);
  }

  @Override
  public String toString() {
    return "PsiBins[" + kind + ", " + Arrays.toString(edges) + "]";
  }
}
