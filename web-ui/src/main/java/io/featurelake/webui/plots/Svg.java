package io.featurelake.webui.plots;

import java.util.Locale;

/**
 * A minimal SVG writer: elements with escaped text and attributes, numbers in a fixed format.
 * Plots are drawn on the server because a chart add-on would need a frontend build.
 */
public final class Svg {

  private final StringBuilder out = new StringBuilder();

  public Svg(int width, int height, String ariaLabel) {
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" role=\"img\" aria-label=\"").append(escape(ariaLabel)).append("\" font-family=\"sans-serif\" font-size=\"11\">");
  }

  public Svg rect(double x, double y, double w, double h, String fill, String title) {
    out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(Math.max(0, w)))
        .append("\" height=\"").append(num(Math.max(0, h))).append("\" fill=\"").append(escape(fill)).append('"');
    if (title == null) {
      out.append("/>");
    } else {
      out.append("><title>").append(escape(title)).append("</title></rect>");
    }
    return this;
  }

  public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
    out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
        .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(escape(stroke)).append("\" stroke-width=\"")
        .append(num(strokeWidth)).append("\"/>");
    return this;
  }

  public Svg circle(double cx, double cy, double r, String fill, String title) {
    out.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"").append(num(r))
        .append("\" fill=\"").append(escape(fill)).append("\"><title>").append(escape(title == null ? "" : title))
        .append("</title></circle>");
    return this;
  }

  /** Text; {@code anchor} is start, middle or end; a non-zero rotation turns it around (x, y). */
  public Svg text(double x, double y, String text, String anchor, double rotate, String cssClass) {
    out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor).append('"');
    if (rotate != 0) {
      out.append(" transform=\"rotate(").append(num(rotate)).append(' ').append(num(x)).append(' ').append(num(y)).append(")\"");
    }
    if (cssClass != null) {
      out.append(" class=\"").append(escape(cssClass)).append('"');
    }
    out.append('>').append(escape(text)).append("</text>");
    return this;
  }

  public Svg link(String href, Runnable inside) {
    out.append("<a href=\"").append(escape(href)).append("\">");
    inside.run();
    out.append("</a>");
    return this;
  }

  public String render() {
    return out + "</svg>";
  }

  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
