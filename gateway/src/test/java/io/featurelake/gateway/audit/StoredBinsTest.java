package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.audit.AuditMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bins a run stores with its report read back as the same bins, and nothing when any column's are missing. */
class StoredBinsTest {

  @Test
  void storedBinsReadBackAsTheSameBinsAndAColumnWithoutValuesStaysWithout() {
    Map<String, PsiBins> own = new LinkedHashMap<>();
    own.put("views", new PsiBins(PsiBins.Kind.VALUES, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
    own.put("revenue", new PsiBins(PsiBins.Kind.QUANTILES, new double[] {1.5, 2.25, 9.75}));
    List<String> numeric = List.of("views", "revenue", "empty");

    List<AuditMetric> metrics = StoredBins.metricsOf(own, numeric);

    assertThat(metrics).contains(new AuditMetric("run", "views", "psi_bins_kind", 0.0),
        new AuditMetric("run", "views", "psi_bin_edge:11", 11.0), new AuditMetric("run", "revenue", "psi_bins_kind", 1.0),
        new AuditMetric("run", "empty", "psi_bins_kind", null));
    assertThat(StoredBins.fromMetrics(metrics, numeric)).contains(own);
  }

  @Test
  void aColumnWithNothingStoredMeansThereAreNoStoredBins() {
    Map<String, PsiBins> own = Map.of("views", new PsiBins(PsiBins.Kind.VALUES, new double[] {1, 2}));
    List<AuditMetric> metrics = new ArrayList<>(StoredBins.metricsOf(own, List.of("views")));
    metrics.add(new AuditMetric("baseline", "clicks", "psi_bins_kind", 0.0)); // the other side does not count

    assertThat(StoredBins.fromMetrics(metrics, List.of("views", "clicks"))).isEmpty();
    assertThat(StoredBins.fromMetrics(List.of(), List.of("views"))).isEmpty();
  }
}
