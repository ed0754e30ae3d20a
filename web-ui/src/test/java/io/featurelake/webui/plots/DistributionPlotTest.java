package io.featurelake.webui.plots;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DistributionPlotTest {

  private static final Pattern RECT_HEIGHT = Pattern.compile("<rect x=\"[^\"]+\" y=\"[^\"]+\" width=\"[^\"]+\" height=\"([^\"]+)\" fill=\"(#[0-9a-f]+)\"><title>([^<]*)</title>");

  @Test
  void barsAreProportionalToSharesAndTheAxisTopIsTheNextNiceStep() {
    List<DistributionPlot.Bin> bins = List.of(new DistributionPlot.Bin("0", 0.10, 0.40), new DistributionPlot.Bin("1", 0.30, 0.20));
    String svg = DistributionPlot.render("view_count", bins, "PSI 0.31 > 0.25", true);
    // max share 0.40 -> axis top 0.40; plot height 240 - 28 - 58 = 154
    Matcher m = RECT_HEIGHT.matcher(svg);
    StringBuilder seen = new StringBuilder();
    while (m.find()) {
      seen.append(m.group(3)).append('=').append(m.group(1)).append(' ').append(m.group(2)).append(';');
    }
    assertThat(seen.toString()).isEqualTo(
        "0: baseline 10%=38.50 #8a9bb0;0: run 40%=154 #d9534f;1: baseline 30%=115.50 #8a9bb0;1: run 20%=77 #d9534f;");
    assertThat(svg).contains(">40%</text>").contains(">0%</text>").contains("view_count  ·  PSI 0.31 &gt; 0.25");
  }

  @Test
  void aPassingRunIsDrawnInTheNeutralColour() {
    String svg = DistributionPlot.render("x", List.of(new DistributionPlot.Bin("a", 0.5, 0.5)), null, false);
    assertThat(svg).contains(DistributionPlot.RUN_PASS_COLOR).doesNotContain(DistributionPlot.RUN_COLOR);
  }

  @Test
  void labelsAreEscapedAndThinnedWhenThereAreManyBins() {
    List<DistributionPlot.Bin> bins = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      bins.add(new DistributionPlot.Bin("<" + i + "&", 0.02, 0.02));
    }
    String svg = DistributionPlot.render("f", bins, "", false);
    assertThat(svg).doesNotContain("<0&").contains("&lt;0&amp;");
    long labels = Pattern.compile("rotate\\(-40").matcher(svg).results().count();
    assertThat(labels).isEqualTo(17); // every third of 50 bins
  }

  @Test
  void emptyBinsSayThereIsNothingToDraw() {
    assertThat(DistributionPlot.render("f", List.of(), null, false)).contains("no bins to draw").endsWith("</svg>");
  }

  @Test
  void niceCeilingAndPercent() {
    assertThat(DistributionPlot.niceCeiling(0.031)).isEqualTo(0.05);
    assertThat(DistributionPlot.niceCeiling(0.0)).isEqualTo(0.1);
    assertThat(DistributionPlot.niceCeiling(0.97)).isEqualTo(1.0);
    assertThat(DistributionPlot.percent(0.034)).isEqualTo("3.4%");
    assertThat(DistributionPlot.percent(0.25)).isEqualTo("25%");
  }

  @Test
  void timelineLinksEverySnapshotAndListsItsRefs() {
    String svg = TimelinePlot.render(List.of(
        new TimelinePlot.Point(Instant.parse("2026-12-01T10:00:00Z"), "run 1", "runs/1", List.of("run_1"), TimelinePlot.Kind.PUBLISH),
        new TimelinePlot.Point(Instant.parse("2026-12-01T10:05:00Z"), "compaction", "snap?id=2", List.of("main", "fl_sync_cursor"), TimelinePlot.Kind.MAINTENANCE)));
    assertThat(svg).contains("<a href=\"runs/1\">").contains("<a href=\"snap?id=2\">")
        .contains(">run_1</text>").contains(">fl_sync_cursor</text>").contains("12-01 10:05:00");
  }
}
