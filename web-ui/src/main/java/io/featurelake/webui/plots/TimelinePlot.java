package io.featurelake.webui.plots;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A table's history as a line of snapshots in commit order, each a dot that links to its detail,
 * with the refs that point at it (run tags, audit branches, the sync cursor) written above it.
 * Evenly spaced, not to time scale: publishes cluster in seconds and would overlap otherwise;
 * the time is on each dot's label instead.
 */
public final class TimelinePlot {

  /** One snapshot: when, its short label (operation, run), where it links, its refs, and a kind for colour. */
  public record Point(Instant at, String label, String href, List<String> refs, Kind kind) {}

  /** Colours by who made the snapshot. */
  public enum Kind {
    PUBLISH("#2e7dd7"), MAINTENANCE("#8a9bb0"), OTHER("#f0ad4e"), BRANCH("#d9534f");

    final String color;

    Kind(String color) {
      this.color = color;
    }
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int SLOT = 90;
  private static final int H = 170;
  private static final int AXIS_Y = 95;

  private TimelinePlot() {}

  public static String render(List<Point> points) {
    int w = Math.max(300, 40 + SLOT * points.size());
    Svg svg = new Svg(w, H, "Snapshot timeline of main, oldest on the left");
    svg.line(20, AXIS_Y, w - 20, AXIS_Y, "#999", 2);
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double x = 20 + SLOT / 2.0 + i * SLOT;
      String title = p.label() + " at " + TIME.format(p.at()) + " UTC" + (p.refs().isEmpty() ? "" : "; refs: " + String.join(", ", p.refs()));
      svg.link(p.href(), () -> svg.circle(x, AXIS_Y, 7, p.kind().color, title));
      svg.text(x, AXIS_Y + 22, p.label(), "middle", 0, null);
      svg.text(x, AXIS_Y + 36, TIME.format(p.at()), "middle", 0, "fl-plot-time");
      double y = AXIS_Y - 14;
      for (String ref : p.refs()) {
        svg.text(x, y, ref, "middle", 0, "fl-plot-ref");
        y -= 13;
        if (y < 12) {
          break;
        }
      }
    }
    return svg.render();
  }
}
