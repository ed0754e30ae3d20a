package io.featurelake.webui.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotebookHtmlTest {

  @Test
  void scriptsAndTheirContentAreRemoved() {
    String html = NotebookHtml.sanitize("<div class=\"jp-Cell\"><script>alert('x')</script><p>kept</p>"
        + "<SCRIPT type=\"text/javascript\" src=\"https://example.com/x.js\"></SCRIPT></div>");

    assertThat(html).isEqualTo("<div class=\"fl-notebook\"><div class=\"jp-Cell\"><p>kept</p></div></div>");
  }

  @Test
  void eventHandlersAndJavascriptUrlsAreRemoved() {
    String html = NotebookHtml.sanitize("<img src=\"data:image/png;base64,iVBORw0KGgo=\" onload=\"alert(1)\" onerror=\"alert(2)\" alt=\"plot\">"
        + "<a href=\"javascript:alert(3)\" onclick=\"alert(4)\">link</a><body onload=\"alert(5)\"><p onmouseover=\"alert(6)\">text</p></body>");

    assertThat(html).doesNotContainIgnoringCase("alert").doesNotContain("onload").doesNotContain("javascript");
    assertThat(html).contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"plot\">").contains(">link</a>").contains("<p>text</p>");
  }

  @Test
  void framesFormsStylesAndSvgAreDropped() {
    String html = NotebookHtml.sanitize("<iframe src=\"https://example.com\"></iframe><object data=\"x.swf\"></object>"
        + "<embed src=\"x\"><form action=\"/steal\"><input name=\"p\"></form><style>body{display:none}</style>"
        + "<svg><script>alert(1)</script><circle r=\"1\"/></svg><link rel=\"stylesheet\" href=\"x.css\"><meta http-equiv=\"refresh\" content=\"0\">"
        + "<p style=\"position:fixed\">ok</p>");

    assertThat(html).isEqualTo("<div class=\"fl-notebook\"><p>ok</p></div>");
  }

  @Test
  void keepsWhatANotebookShowsCellsCodeTablesAndInlinePlots() {
    String cell = "<div class=\"jp-Cell jp-CodeCell\"><div class=\"jp-InputArea\"><div class=\"highlight hl-ipython3\"><pre>"
        + "<span class=\"n\">lake</span> <span class=\"o\">=</span> fl.connect()\n  x &lt; 1</pre></div></div>"
        + "<div class=\"jp-OutputArea-output\"><table border=\"1\" class=\"dataframe\"><thead><tr style=\"text-align: right;\">"
        + "<th></th><th>run_id</th></tr></thead><tbody><tr><th>0</th><td>1</td></tr></tbody></table></div>"
        + "<div class=\"jp-RenderedImage\"><img alt=\"No description has been provided for this image\" src=\"data:image/png;base64,AAAA\"></div>"
        + "<h2 id=\"Parameters\">Parameters<a class=\"anchor-link\" href=\"#Parameters\">¶</a></h2><a href=\"https://iceberg.apache.org\">Iceberg</a></div>";

    String html = NotebookHtml.sanitize(cell);

    assertThat(html).contains("<pre><span class=\"n\">lake</span> <span class=\"o\">=</span> fl.connect()\n  x &lt; 1</pre>")
        .contains("<table class=\"dataframe\"><thead><tr><th></th><th>run_id</th></tr></thead><tbody><tr><th>0</th><td>1</td></tr></tbody></table>")
        .contains("<img alt=\"No description has been provided for this image\" src=\"data:image/png;base64,AAAA\">")
        .contains("<h2>Parameters")
        .contains("<a href=\"https://iceberg.apache.org\" rel=\"noopener noreferrer\">Iceberg</a>");
  }

  @Test
  void theResultHasOneRootElementForVaadinsHtmlComponent() {
    assertThat(NotebookHtml.sanitize("")).isEqualTo("<div class=\"fl-notebook\"></div>");
    assertThat(NotebookHtml.sanitize("<p>a</p><p>b</p>")).isEqualTo("<div class=\"fl-notebook\"><p>a</p><p>b</p></div>");
  }
}
