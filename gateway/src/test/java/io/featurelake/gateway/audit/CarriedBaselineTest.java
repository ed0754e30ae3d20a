package io.featurelake.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.features.Expectation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The baseline side rebuilt from the report of the run that wrote the baseline's rows: exact
 * counts in the bins that run's audit used, its aggregates, and no carrying when a column drifted
 * on those bins or the report lacks what is needed.
 */
class CarriedBaselineTest {

  private static final PsiBins VIEW_BINS = new PsiBins(PsiBins.Kind.VALUES, new double[] {1, 2, 3});
  private static final Expectation NON_NEGATIVE = new Expectation("non_negative", "views >= 0", 0.0);

  /** A report of 1,001 rows whose views are 1 (300), 2 (1), 3 (600), 5 (99) and one NULL, audited on VIEW_BINS. */
  private static AuditReport report(double psi, boolean withUsedBins) {
    long n = 1001;
    long[] runCounts = {300, 1, 600, 99};
    long[] baseCounts = {280, 5, 610, 105};
    List<AuditMetric> metrics = new ArrayList<>();
    metrics.add(new AuditMetric("run", "*", "row_count", (double) n));
    metrics.add(new AuditMetric("run", "item_id", "null_rate", 0.0));
    metrics.add(new AuditMetric("run", "views", "null_rate", 1.0 / n));
    metrics.add(new AuditMetric("run", "views", "min", 1.0));
    metrics.add(new AuditMetric("run", "views", "max", 5.0));
    metrics.add(new AuditMetric("run", "views", "mean", 2.5));
    metrics.add(new AuditMetric("run", "views", "stddev", null));
    for (int p : ColumnAggregates.REPORTED_PERCENTILES) {
      metrics.add(new AuditMetric("run", "views", String.format(Locale.ROOT, "p%02d", p), p < 50 ? 1.0 : 3.0));
    }
    metrics.add(new AuditMetric("run", "non_negative", "violation_share", 3.0 / n));
    metrics.addAll(ReportMetrics.binShares("views", VIEW_BINS, runCounts, baseCounts));
    if (withUsedBins) {
      metrics.addAll(StoredBins.metricsOf("baseline", Map.of("views", VIEW_BINS), List.of("views")));
    }
    List<AuditCheck> checks = List.of(new AuditCheck("psi", "views", psi, 0.25, psi <= 0.25, "PSI"));
    return new AuditReport(9, 4, "lake.features.v", 11, "same_window", 10L, null, null, n, 1000L, true, 0, null, 1, checks,
        metrics, null, null);
  }

  @Test
  void theBaselineSideComesBackWithExactCountsInTheBinsItsOwnAuditUsed() {
    var carried = CarriedBaseline.from(report(0.02, true), List.of("item_id", "views"), List.of("views"), List.of(NON_NEGATIVE))
        .orElseThrow();

    assertThat(carried.bins()).containsExactly(Map.entry("views", VIEW_BINS));
    Row stats = carried.stats();
    assertThat(stats.getLong(stats.fieldIndex("n"))).isEqualTo(1001);
    assertThat(stats.getLong(stats.fieldIndex("nulls__views"))).isEqualTo(1);
    assertThat(stats.getLong(stats.fieldIndex("nulls__item_id"))).isZero();
    assertThat(stats.getLong(stats.fieldIndex("expect__non_negative"))).isEqualTo(3);
    assertThat(stats.isNullAt(stats.fieldIndex("stddev__views"))).isTrue();
    assertThat(ColumnAggregates.doubles(stats, "pct__views")).containsExactly(1, 1, 1, 3, 3, 3, 3);
    // Exactly the counts the run's write observed: 300 | 1 | 600 | 99, from shares such as 1/1000.
    assertThat(ColumnAggregates.binCounts(stats, "views", VIEW_BINS)).containsExactly(300, 1, 600, 99);
    // And the report built from them reads as the original run side did.
    assertThat(ReportMetrics.of("baseline", stats, List.of("item_id", "views"), List.of("views"), List.of(NON_NEGATIVE)))
        .contains(new AuditMetric("baseline", "views", "mean", 2.5), new AuditMetric("baseline", "*", "row_count", 1001.0));
  }

  @Test
  void aColumnThatDriftedOnTheBinsOrAReportWithoutThemIsNotCarried() {
    List<String> columns = List.of("item_id", "views");
    assertThat(CarriedBaseline.from(report(0.15, true), columns, List.of("views"), List.of())).isEmpty();
    assertThat(CarriedBaseline.from(report(0.02, false), columns, List.of("views"), List.of())).isEmpty();
    // A column the report has no metrics for (added since), or an expectation it did not evaluate.
    assertThat(CarriedBaseline.from(report(0.02, true), List.of("item_id", "views", "clicks"), List.of("views"), List.of()))
        .isEmpty();
    assertThat(CarriedBaseline.from(report(0.02, true), columns, List.of("views"),
        List.of(new Expectation("new_rule", "views < 9", 0.0)))).isEmpty();
    // A PSI that was SKIPPED (too few rows) says nothing about the bins.
    AuditReport skipped = report(0.02, true);
    skipped = new AuditReport(9, 4, "t", 11, "same_window", 10L, null, null, 1001, 1000L, true, 0, null, 1,
        List.of(AuditCheck.skipped("psi", "views", 0.25, "too few")), skipped.metrics(), null, null);
    assertThat(CarriedBaseline.from(skipped, columns, List.of("views"), List.of())).isEmpty();
  }
}
