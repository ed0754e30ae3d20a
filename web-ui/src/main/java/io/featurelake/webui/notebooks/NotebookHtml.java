package io.featurelake.webui.notebooks;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * An executed notebook's HTML (nbconvert's {@code basic} template) made safe to put into a page.
 * nbconvert copies a cell's {@code text/html} output as it is, so a notebook that displays HTML
 * can carry {@code <script>}, {@code onload=}/{@code onerror=} handlers, {@code javascript:} links,
 * iframes or forms; the browser would run handlers of inserted elements. This keeps an allow-list
 * of presentational tags and attributes (text, headings, lists, tables, code, inline images as
 * {@code data:} URIs, class names for the page's styles) and drops everything else, scripts and
 * styles with their content.
 */
public final class NotebookHtml {

  private static final Safelist SAFE = Safelist.relaxed()
      .addTags("hr", "figure", "figcaption", "details", "summary", "mark", "kbd", "samp")
      .addAttributes(":all", "class", "title")
      .addAttributes("th", "align", "valign")
      .addAttributes("td", "align", "valign")
      .addAttributes("tr", "align", "valign")
      .addAttributes("ol", "start")
      // matplotlib's figures arrive as inline PNGs
      .addProtocols("img", "src", "data")
      .addEnforcedAttribute("a", "rel", "noopener noreferrer");

  private static final String DROP_WITH_CONTENT = "script, style, noscript, template, svg, math, iframe, frame, frameset, "
      + "object, embed, applet, form, textarea, select, button";

  private NotebookHtml() {}

  /** The allowed part of {@code html}, wrapped in one {@code <div class="fl-notebook">}. */
  public static String sanitize(String html) {
    Document parsed = Jsoup.parseBodyFragment(html);
    // The allow-list would keep the text inside a dropped element; for these the text is code, not content.
    parsed.select(DROP_WITH_CONTENT).remove();
    Document clean = new Cleaner(SAFE).clean(parsed);
    clean.outputSettings().prettyPrint(false);
    return "<div class=\"fl-notebook\">" + clean.body().html() + "</div>";
  }
}
