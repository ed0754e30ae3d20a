package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BinLabelTest {

  @Test
  void labelsNameEachBinsRangeInOrder() {
    double[] edges = {3, 4, 7.5, 120};
    assertThat(ReportMetrics.binLabel(edges, 0)).isEqualTo("00 <= 3");
    assertThat(ReportMetrics.binLabel(edges, 1)).isEqualTo("01 = 4");
    assertThat(ReportMetrics.binLabel(edges, 2)).isEqualTo("02 (4, 7.500]");
    assertThat(ReportMetrics.binLabel(edges, 3)).isEqualTo("03 (7.500, 120]");
    assertThat(ReportMetrics.binLabel(edges, 4)).isEqualTo("04 > 120");
  }
}
