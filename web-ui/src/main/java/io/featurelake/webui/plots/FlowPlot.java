package io.featurelake.webui.plots;

import java.util.List;

/**
 * A left-to-right flow of stages (inputs → run → branch snapshot → audit → main → online), each
 * a column of boxes; every box of one stage has an arrow to the first box of the next. Used for
 * a run's lineage graph.
 */
public final class FlowPlot {

  /** One box: its text lines and, optionally, the page it links to. */
  public record Node(List<String> lines, String href) {
    public Node {
      lines = List.copyOf(lines);
    }
  }

  /** A column: its heading and its boxes (an empty stage is drawn as a dashed "none"). */
  public record Stage(String title, List<Node> nodes) {
    public Stage {
      nodes = List.copyOf(nodes);
    }
  }

  private static final int COL_W = 190;
  private static final int BOX_W = 160;
  private static final int LINE_H = 14;
  private static final int GAP = 12;
  private static final int TOP = 26;

  private FlowPlot() {}

  public static String render(List<Stage> stages) {
    int height = TOP + 20;
    for (Stage s : stages) {
      int h = TOP;
      for (Node n : s.nodes()) {
        h += boxHeight(n) + GAP;
      }
      height = Math.max(height, h + 10);
    }
    Svg svg = new Svg(stages.size() * COL_W + 10, height, "Lineage: " + stages.size() + " stages from inputs to serving");
    double prevX = -1;
    double prevY = -1;
    for (int i = 0; i < stages.size(); i++) {
      Stage s = stages.get(i);
      double x = 10 + i * COL_W;
      svg.text(x + BOX_W / 2.0, 14, s.title(), "middle", 0, "fl-plot-title");
      double y = TOP;
      double firstMidY = -1;
      if (s.nodes().isEmpty()) {
        svg.rect(x, y, BOX_W, 24, "#f4f4f4", "nothing at this stage");
        svg.text(x + BOX_W / 2.0, y + 16, "none", "middle", 0, null);
        firstMidY = y + 12;
      }
      for (Node n : s.nodes()) {
        int h = boxHeight(n);
        double bx = x;
        double by = y;
        Runnable box = () -> {
          svg.rect(bx, by, BOX_W, h, "#eef3fa", String.join(" ", n.lines()));
          for (int l = 0; l < n.lines().size(); l++) {
            svg.text(bx + 6, by + 15 + l * LINE_H, clip(n.lines().get(l)), "start", 0, l == 0 ? "fl-plot-strong" : null);
          }
        };
        if (n.href() != null) {
          svg.link(n.href(), box);
        } else {
          box.run();
        }
        if (prevX >= 0) {
          arrow(svg, prevX, prevY, bx, by + h / 2.0);
        }
        if (firstMidY < 0) {
          firstMidY = by + h / 2.0;
        }
        y += h + GAP;
      }
      prevX = x + BOX_W;
      prevY = firstMidY;
    }
    return svg.render();
  }

  private static void arrow(Svg svg, double x1, double y1, double x2, double y2) {
    svg.line(x1, y1, x2 - 2, y2, "#7a8899", 1.5);
    svg.line(x2 - 8, y2 - 4, x2 - 2, y2, "#7a8899", 1.5);
    svg.line(x2 - 8, y2 + 4, x2 - 2, y2, "#7a8899", 1.5);
  }

  private static int boxHeight(Node n) {
    return 8 + LINE_H * Math.max(1, n.lines().size());
  }

  private static String clip(String s) {
    return s.length() > 26 ? s.substring(0, 25) + "…" : s;
  }
}
