package io.featurelake.gateway.audit;

import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.features.Expectation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The baseline side of an audit read from the report of the run that published exactly the
 * baseline's rows, with no Spark job: that run's write observed every aggregate the baseline side
 * needs (row count, nulls, min, max, mean, standard deviation, percentiles, expectation
 * violations) and its exact counts in the PSI bins its own audit used. So when those bins are
 * carried forward, the whole baseline side is in the report.
 *
 * <p>The bins are carried forward only while they still describe the baseline: the baseline's own
 * audit measured it on them at a PSI of at most {@link #MAX_CARRIED_PSI} against its own baseline
 * (not skipped), for every numeric column. Quantile bins then still hold roughly a tenth of the
 * baseline each, and value bins roughly the shares they were cut for. A publish that shifted a
 * column (an override, a threshold above 0.1) re-fixes the bins from the baseline's own rows
 * ({@link StoredBins}). The counts are exact: a report keeps each bin's share of the non-NULL
 * values, {@code count / total} as a double, and {@code round(share * total)} gives the count back
 * for any total below 2^52.
 */
final class CarriedBaseline {

  /** Largest PSI of the baseline against its own baseline at which that audit's bins are carried forward. */
  static final double MAX_CARRIED_PSI = 0.1;

  private CarriedBaseline() {}

  /** Bins carried from {@code report} and the baseline's aggregates as the audit reads them. */
  record Carried(Map<String, PsiBins> bins, Row stats) {}

  /**
   * The carried bins and baseline aggregates for a baseline whose rows are exactly what
   * {@code report}'s run wrote, with {@code columns} (all) and {@code numeric} (binned) as the
   * audit will see them; empty when anything needed is not in the report or a column drifted.
   */
  static Optional<Carried> from(AuditReport report, List<String> columns, List<String> numeric,
      List<Expectation> expectations) {
    Optional<Map<String, PsiBins>> used = StoredBins.fromMetrics("baseline", report.metrics(), numeric);
    if (used.isEmpty() || !used.get().keySet().containsAll(numeric) || report.rowCount() <= 0) {
      return Optional.empty();
    }
    for (String c : numeric) {
      Optional<AuditCheck> psi = report.checks().stream().filter(k -> "psi".equals(k.name()) && c.equals(k.column())).findFirst();
      if (psi.isEmpty() || psi.get().observed() == null || psi.get().observed() > MAX_CARRIED_PSI) {
        return Optional.empty();
      }
    }
    Map<String, Double> run = new HashMap<>();
    Map<String, TreeMap<String, Double>> shares = new HashMap<>();
    for (AuditMetric m : report.metrics()) {
      if (!"run".equals(m.side())) {
        continue;
      }
      if (m.metric().startsWith(ReportMetrics.BIN_SHARE)) {
        shares.computeIfAbsent(m.column(), k -> new TreeMap<>()).put(m.metric(), m.value());
      } else {
        run.put(m.column() + "/" + m.metric(), m.value());
      }
    }
    long n = report.rowCount();
    List<StructField> fields = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    fields.add(DataTypes.createStructField("n", DataTypes.LongType, false));
    values.add(n);
    Map<String, Long> nulls = new HashMap<>();
    for (String c : columns) {
      Double rate = run.get(c + "/null_rate");
      if (rate == null) {
        return Optional.empty();
      }
      nulls.put(c, Math.round(rate * n));
      fields.add(DataTypes.createStructField("nulls__" + c, DataTypes.LongType, false));
      values.add(nulls.get(c));
    }
    for (String c : numeric) {
      if (!nulls.containsKey(c)) {
        return Optional.empty();
      }
      for (String stat : List.of("min", "max", "mean", "stddev")) {
        if (!run.containsKey(c + "/" + stat)) {
          return Optional.empty();
        }
        fields.add(DataTypes.createStructField(stat + "__" + c, DataTypes.DoubleType, true));
        values.add(run.get(c + "/" + stat));
      }
      List<Object> pct = new ArrayList<>();
      for (int p : ColumnAggregates.REPORTED_PERCENTILES) {
        pct.add(run.get(c + "/" + String.format(Locale.ROOT, "p%02d", p)));
      }
      fields.add(DataTypes.createStructField("pct__" + c, DataTypes.createArrayType(DataTypes.DoubleType, true), true));
      values.add(pct.contains(null) ? null : seq(pct));

      PsiBins b = used.get().get(c);
      TreeMap<String, Double> byBin = shares.getOrDefault(c, new TreeMap<>());
      long nonNull = n - nulls.get(c);
      if (byBin.size() != b.bins() || byBin.containsValue(null) || nonNull <= 0) {
        return Optional.empty();
      }
      List<Object> cumulative = new ArrayList<>();
      long sum = 0;
      for (Double share : byBin.values()) {
        if (cumulative.size() == b.edges().length) {
          break;
        }
        sum += Math.round(share * nonNull);
        cumulative.add(sum);
      }
      fields.add(DataTypes.createStructField("bins__" + c, DataTypes.createArrayType(DataTypes.LongType, false), false));
      values.add(seq(cumulative));
    }
    for (Expectation e : expectations) {
      Double share = run.get(e.name() + "/violation_share");
      if (share == null) {
        return Optional.empty();
      }
      fields.add(DataTypes.createStructField("expect__" + e.name(), DataTypes.LongType, false));
      values.add(Math.round(share * n));
    }
    Row stats = new GenericRowWithSchema(values.toArray(), DataTypes.createStructType(fields));
    return Optional.of(new Carried(used.get(), stats));
  }

  private static scala.collection.Seq<Object> seq(List<Object> values) {
    return scala.collection.JavaConverters.asScalaBuffer(values).toList();
  }
}
