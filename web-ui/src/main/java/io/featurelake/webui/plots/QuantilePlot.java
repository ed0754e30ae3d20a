package io.featurelake.webui.plots;

import java.util.List;
import java.util.Locale;

/**
 * A feature's percentiles on both sides (x: the percentile, y: the value there): two lines that
 * lie on each other when nothing moved and part when the distribution shifted. Drawn from the
 * percentiles the audit reported, so it shows exactly what the audit measured.
 */
public final class QuantilePlot {

  /** A percentile level (0..100) and the value at it. */
  public record Point(double level, double value) {}

  private static final int W = 560;
  private static final int H = 240;
  private static final int LEFT = 64;
  private static final int RIGHT = 12;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  private QuantilePlot() {}

  public static String render(String feature, List<Point> baseline, List<Point> run, String subtitle, boolean failed) {
    Svg svg = new Svg(W, H, "Percentiles of " + feature + ": run against baseline");
    svg.text(LEFT, 16, feature + (subtitle == null || subtitle.isEmpty() ? "" : "  ·  " + subtitle), "start", 0, "fl-plot-title");
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (List<Point> side : List.of(baseline, run)) {
      for (Point p : side) {
        lo = Math.min(lo, p.value());
        hi = Math.max(hi, p.value());
      }
    }
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    double y0 = TOP + plotH;
    if (lo == Double.POSITIVE_INFINITY) {
      svg.text(LEFT + plotW / 2, TOP + plotH / 2, "no percentiles reported", "middle", 0, null);
      return svg.render();
    }
    if (hi == lo) {
      hi = lo + Math.max(1, Math.abs(lo) * 0.1);
      lo = lo - Math.max(1, Math.abs(lo) * 0.1);
    }
    double span = hi - lo;
    for (int i = 0; i <= 4; i++) {
      double v = lo + span * i / 4;
      double y = y0 - plotH * i / 4;
      svg.line(LEFT, y, W - RIGHT, y, i == 0 ? "#555" : "#e3e3e3", 1);
      svg.text(LEFT - 4, y + 4, value(v), "end", 0, null);
    }
    for (int level = 0; level <= 100; level += 10) {
      double x = LEFT + plotW * level / 100.0;
      svg.text(x, y0 + 14, "p" + level, "middle", 0, null);
    }
    double fLo = lo;
    double fSpan = span;
    line(svg, baseline, DistributionPlot.BASELINE_COLOR, p -> LEFT + plotW * p.level() / 100.0, p -> y0 - plotH * (p.value() - fLo) / fSpan, "baseline");
    line(svg, run, failed ? DistributionPlot.RUN_COLOR : DistributionPlot.RUN_PASS_COLOR,
        p -> LEFT + plotW * p.level() / 100.0, p -> y0 - plotH * (p.value() - fLo) / fSpan, "run");
    String runColor = failed ? DistributionPlot.RUN_COLOR : DistributionPlot.RUN_PASS_COLOR;
    svg.rect(W - 170, 6, 10, 10, DistributionPlot.BASELINE_COLOR, null).text(W - 156, 15, "baseline", "start", 0, null);
    svg.rect(W - 96, 6, 10, 10, runColor, null).text(W - 82, 15, "this run", "start", 0, null);
    return svg.render();
  }

  private static void line(Svg svg, List<Point> points, String color, java.util.function.ToDoubleFunction<Point> x,
      java.util.function.ToDoubleFunction<Point> y, String side) {
    for (int i = 1; i < points.size(); i++) {
      svg.line(x.applyAsDouble(points.get(i - 1)), y.applyAsDouble(points.get(i - 1)), x.applyAsDouble(points.get(i)),
          y.applyAsDouble(points.get(i)), color, 2);
    }
    for (Point p : points) {
      svg.circle(x.applyAsDouble(p), y.applyAsDouble(p), 3, color, side + " p" + value(p.level()) + " = " + value(p.value()));
    }
  }

  static String value(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
