package io.featurelake.webui.plots;

import java.util.List;
import java.util.Locale;

/**
 * One numeric feature's run against its baseline: for each bin, the share of baseline rows and
 * of run rows side by side, so a shift reads at a glance; the title carries the PSI and verdict.
 */
public final class DistributionPlot {

  /** A bin: its label (a value or a range) and the share of each side's rows in it (0..1). */
  public record Bin(String label, double baselineShare, double runShare) {}

  static final String BASELINE_COLOR = "#8a9bb0";
  static final String RUN_COLOR = "#d9534f";
  static final String RUN_PASS_COLOR = "#2e7dd7";

  private static final int W = 560;
  private static final int H = 240;
  private static final int LEFT = 44;
  private static final int RIGHT = 10;
  private static final int TOP = 28;
  private static final int BOTTOM = 58;

  private DistributionPlot() {}

  public static String render(String feature, List<Bin> bins, String subtitle, boolean failed) {
    Svg svg = new Svg(W, H, "Distribution of " + feature + ": run against baseline");
    svg.text(LEFT, 16, feature + (subtitle == null || subtitle.isEmpty() ? "" : "  ·  " + subtitle), "start", 0, "fl-plot-title");
    double maxShare = 0;
    for (Bin b : bins) {
      maxShare = Math.max(maxShare, Math.max(b.baselineShare(), b.runShare()));
    }
    double top = niceCeiling(maxShare);
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    double y0 = TOP + plotH;
    // y axis with 4 ticks, as percentages
    for (int i = 0; i <= 4; i++) {
      double v = top * i / 4;
      double y = y0 - plotH * i / 4;
      svg.line(LEFT, y, W - RIGHT, y, i == 0 ? "#555" : "#e3e3e3", 1);
      svg.text(LEFT - 4, y + 4, percent(v), "end", 0, null);
    }
    if (bins.isEmpty()) {
      svg.text(LEFT + plotW / 2, TOP + plotH / 2, "no bins to draw", "middle", 0, null);
      return svg.render();
    }
    double slot = plotW / bins.size();
    double bar = Math.max(1, slot * 0.4);
    int labelEvery = Math.max(1, (int) Math.ceil(bins.size() / 20.0));
    String runColor = failed ? RUN_COLOR : RUN_PASS_COLOR;
    for (int i = 0; i < bins.size(); i++) {
      Bin b = bins.get(i);
      double x = LEFT + i * slot + slot * 0.1;
      double hb = top == 0 ? 0 : plotH * b.baselineShare() / top;
      double hr = top == 0 ? 0 : plotH * b.runShare() / top;
      svg.rect(x, y0 - hb, bar, hb, BASELINE_COLOR, b.label() + ": baseline " + percent(b.baselineShare()));
      svg.rect(x + bar, y0 - hr, bar, hr, runColor, b.label() + ": run " + percent(b.runShare()));
      if (i % labelEvery == 0) {
        svg.text(x + bar, y0 + 12, shorten(b.label()), "end", -40, null);
      }
    }
    // legend
    svg.rect(W - 170, 6, 10, 10, BASELINE_COLOR, null).text(W - 156, 15, "baseline", "start", 0, null);
    svg.rect(W - 96, 6, 10, 10, runColor, null).text(W - 82, 15, "this run", "start", 0, null);
    return svg.render();
  }

  static double niceCeiling(double v) {
    if (v <= 0) {
      return 0.1;
    }
    double[] steps = {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0};
    for (double s : steps) {
      if (v <= s + 1e-12) {
        return s;
      }
    }
    return 1.0;
  }

  static String percent(double share) {
    double p = share * 100;
    return p >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
  }

  private static String shorten(String label) {
    return label.length() > 14 ? label.substring(0, 13) + "…" : label;
  }
}
