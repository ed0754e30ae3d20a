package io.featurelake.gateway.audit;

import static io.featurelake.gateway.audit.ColumnAggregates.q;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.lake.WindowScan;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.audit.AuditReportRepository;
import io.featurelake.sqlcatalog.features.Checks;
import io.featurelake.sqlcatalog.features.Expectation;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Gathers an audit's figures with Spark and hands them to the rules ({@link AuditChecks}): exactly
 * the rows a run wrote (its window on the audited snapshot) against the published baseline
 * ({@link AuditBaseline}): row count, null rate per column, duplicate keys, schema equality with
 * main, row-level expectations, and drift: the row count per day and PSI per numeric column on
 * exact bin counts ({@link PsiBins}). The run side comes from the observation of the write itself
 * ({@link WriteObservation}: no second pass over the run's rows) or, on a re-audit, from one
 * aggregate pass over run and baseline rows together.
 *
 * <p>The bins come from the baseline, so they are fixed before the write ({@link #plan}): read
 * from the audit report of the run that published exactly the baseline's rows when there is one
 * ({@link StoredBins}), else by one pass over the baseline. The write observes the run's counts in
 * them, and the baseline's counts are computed beside it.
 */
public final class AuditService {

  private static final String SIDE = "__featurelake_side";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditService.class);

  private final SparkSession spark;
  private final AuditReportRepository reports;

  /** {@code reports} holds the stored bins of published runs ({@link StoredBins}). */
  public AuditService(SparkSession spark, AuditReportRepository reports) {
    this.spark = spark;
    this.reports = reports;
  }

  /**
   * What a run is compared with, fixed before its write: the baseline and each numeric column's PSI
   * bins; {@code binsFrom} says where the bins came from (a report, a pass over the baseline, none).
   * {@code carried}, when present, is the whole baseline side read from a report
   * ({@link CarriedBaseline}): then no Spark job touches the baseline's rows.
   */
  public record AuditPlan(AuditBaseline baseline, Map<String, PsiBins> bins, String binsFrom,
      Optional<PreparedBaseline> carried) {
    AuditPlan(AuditBaseline baseline, Map<String, PsiBins> bins, String binsFrom) {
      this(baseline, bins, binsFrom, Optional.empty());
    }
  }

  /** The baseline side's aggregates, computed beside the write. */
  public record PreparedBaseline(AuditPlan plan, List<String> columns, List<String> numeric, Row stats) {}

  /**
   * Chooses the baseline and the PSI bins of every numeric column: stored with the run that
   * published exactly the baseline's rows, else from one pass over the baseline's rows.
   */
  public AuditPlan plan(FeatureViewDefinition view, BackfillRun run, Table table) {
    AuditBaseline baseline = AuditBaseline.choose(view, run, table);
    if (!baseline.exists()) {
      return new AuditPlan(baseline, Map.of(), "no baseline");
    }
    // The columns from the snapshot's schema in the table metadata: planning a read of the
    // baseline (a catalog load and an analysis) is left to the pass that needs it.
    Snapshot at = table.snapshot(baseline.snapshotId());
    Schema schema = at.schemaId() == null ? table.schema() : table.schemas().get(at.schemaId());
    List<String> numeric = numericFeatures(view, SparkSchemaUtil.convert(schema));
    if (numeric.isEmpty()) {
      return new AuditPlan(baseline, Map.of(), "no numeric column");
    }
    Optional<StoredBins.Found> stored = StoredBins.lookup(table, baseline, view.eventTimestamp(), numeric, reports::find);
    if (stored.isPresent()) {
      List<String> columns = List.of(SparkSchemaUtil.convert(schema).fieldNames());
      Optional<CarriedBaseline.Carried> carried = CarriedBaseline.from(stored.get().report(), columns, numeric,
          view.checks().expectations());
      if (carried.isPresent()) {
        AuditPlan plan = new AuditPlan(baseline, carried.get().bins(), "carried from audit report "
            + stored.get().reportId() + " of the run that published the baseline (its PSI on them at most "
            + CarriedBaseline.MAX_CARRIED_PSI + "), with the baseline's metrics: no pass over its rows");
        return new AuditPlan(baseline, plan.bins(), plan.binsFrom(),
            Optional.of(new PreparedBaseline(plan, columns, numeric, carried.get().stats())));
      }
      if (stored.get().bins().isPresent()) {
        return new AuditPlan(baseline, stored.get().bins().get(), "stored in audit report " + stored.get().reportId()
            + " of the run that published the baseline");
      }
    }
    Dataset<Row> base = baselineRows(view, baseline);
    List<Column> aggs = ColumnAggregates.edges(numeric);
    Row edges = base.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    return new AuditPlan(baseline, ColumnAggregates.binsOf(edges, numeric), "one pass over the baseline's rows");
  }

  /**
   * Starts computing the baseline side on a daemon thread, as its own Spark job beside the run's
   * write. A failure here only means the audit scans the baseline itself.
   */
  public CompletableFuture<PreparedBaseline> prepareBaseline(FeatureViewDefinition view, BackfillRun run, AuditPlan plan) {
    if (plan.carried().isPresent()) {
      return CompletableFuture.completedFuture(plan.carried().get());
    }
    CompletableFuture<PreparedBaseline> out = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        spark.sparkContext().setJobDescription("featurelake audit baseline of run " + run.runId());
        if (!plan.baseline().exists()) {
          out.complete(new PreparedBaseline(plan, List.of(), List.of(), null));
          return;
        }
        Dataset<Row> base = baselineRows(view, plan.baseline());
        List<String> columns = List.of(base.columns());
        List<String> numeric = numericFeatures(view, base);
        List<Column> aggs = ColumnAggregates.side(columns, numeric, plan.bins(), view.checks().expectations());
        Row stats = base.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        out.complete(new PreparedBaseline(plan, columns, numeric, stats));
      } catch (Throwable e) {
        out.completeExceptionally(e);
      }
    }, "featurelake-baseline-" + run.runId());
    t.setDaemon(true);
    t.start();
    return out;
  }

  /** Computes the report (not yet stored: reportId 0) for the rows of {@code run} in {@code snapshotId}, by scanning them. */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId) {
    return audit(view, run, table, snapshotId, Optional.empty(), Optional.empty());
  }

  /**
   * Computes the report (not yet stored: reportId 0) for the rows of {@code run} in
   * {@code snapshotId}. {@code observedRunStats}, if present, are the run side's aggregates observed
   * while exactly those rows were written; then the run's rows are not read again.
   * {@code prepared}, if present and computed for the same columns, is the baseline side with the
   * plan the observation used (else the plan is made here and the baseline scanned).
   */
  public AuditReport audit(FeatureViewDefinition view, BackfillRun run, Table table, long snapshotId,
      Optional<Row> observedRunStats, Optional<PreparedBaseline> prepared) {
    long t0 = System.nanoTime();
    String tableName = FeatureTables.tableName(view.name());
    Checks checks = view.checks();
    List<Expectation> expectations = checks.expectations();

    // The run's rows as a Spark read (a catalog load and an analysis) only when they are scanned;
    // the columns come from the snapshot's schema in the table metadata.
    RunRows runRows = new RunRows(() -> window(read(tableName, snapshotId), view, run.startDate(), run.endDate()));
    StructType schema = snapshotSchema(table, snapshotId).orElseGet(() -> runRows.get().schema());
    List<String> numeric = numericFeatures(view, schema);
    List<String> allColumns = List.of(schema.fieldNames());
    AuditPlan plan = prepared.map(PreparedBaseline::plan).orElseGet(() -> plan(view, run, table));
    AuditBaseline baseline = plan.baseline();
    Map<String, PsiBins> bins = new LinkedHashMap<>(plan.bins());
    bins.keySet().retainAll(numeric);
    Optional<Row> observed = observedRunStats.filter(r -> r.schema().getFieldIndex(WriteObservation.DUPLICATES).isDefined()
        && ColumnAggregates.hasFields(r, allColumns, numeric, bins.keySet(), expectations));
    Optional<PreparedBaseline> ready = prepared.filter(p -> !baseline.exists()
        || p.columns().equals(allColumns) && p.numeric().equals(numeric));

    long tPlan = System.nanoTime();
    Dataset<Row> sides = null;
    if (observed.isEmpty()) {
      sides = runRows.get().withColumn(SIDE, lit("run"));
    }
    if (baseline.exists() && ready.isEmpty()) {
      Dataset<Row> base = baselineRows(view, baseline).withColumn(SIDE, lit("baseline"));
      sides = sides == null ? base : sides.unionByName(base, true);
    }
    Map<String, Row> bySide = new LinkedHashMap<>();
    observed.ifPresent(r -> bySide.put("run", r));
    ready.map(PreparedBaseline::stats).ifPresent(r -> bySide.put("baseline", r));
    if (sides != null) {
      List<Column> aggs = ColumnAggregates.side(allColumns, numeric, bins, expectations);
      Dataset<Row> grouped = sides.groupBy(col(SIDE)).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
      for (Row r : grouped.collectAsList()) {
        bySide.put(r.getString(r.fieldIndex(SIDE)), r);
      }
    }
    long tMetrics = System.nanoTime();
    Row runStats = bySide.get("run");
    Row baseStats = bySide.get("baseline");
    long n = runStats == null ? 0 : runStats.getLong(runStats.fieldIndex("n"));
    Long baseN = baseline.exists() ? (baseStats == null ? 0L : baseStats.getLong(baseStats.fieldIndex("n"))) : null;
    String against = baseline.describe(baseN);

    List<AuditMetric> metrics = new ArrayList<>();
    metrics.addAll(ReportMetrics.of("run", runStats, allColumns, numeric, expectations));
    // How the run side was measured: 1 = observed while the rows were written, 0 = read back from the snapshot.
    metrics.add(new AuditMetric("run", "*", "observed_during_write", observed.isPresent() ? 1.0 : 0.0));
    // The bins the run's own rows give, for the next run whose baseline they are.
    observed.filter(r -> ColumnAggregates.hasEdgeFields(r, numeric))
        .ifPresent(r -> metrics.addAll(StoredBins.metricsOf(ColumnAggregates.binsOf(r, numeric), numeric)));
    if (baseStats != null) {
      metrics.addAll(ReportMetrics.of("baseline", baseStats, allColumns, numeric, expectations));
      metrics.add(new AuditMetric("baseline", "*", "days", (double) baseline.days()));
      // The bins this report's PSI used, so that the next run whose baseline is this run's rows can carry them.
      metrics.addAll(StoredBins.metricsOf("baseline", bins, numeric));
    }

    List<AuditCheck> results = new ArrayList<>();
    results.add(AuditChecks.rowCount(n, checks.minRowCount()));
    int runDays = baseN == null || baseN == 0 ? 0
        : WindowScan.daysWithRows(table, snapshotId, view.eventTimestamp(), run.startDate(), run.endDate()).size();
    results.add(AuditChecks.rowCountChange(checks.maxRowCountChange(), baseN, n, runDays, baseline.days(), against));
    if (runStats != null && n > 0) {
      long duplicates = observed.isPresent()
          ? observed.get().getLong(observed.get().fieldIndex(WriteObservation.DUPLICATES))
          : duplicateKeys(runRows.get(), keyColumns(view));
      results.add(AuditChecks.duplicateKeys(String.join(",", view.entities()) + "," + view.eventTimestamp(), duplicates,
          checks.maxDuplicateKeys()));
      for (String c : allColumns) {
        results.add(AuditChecks.nullRate(c, runStats.getLong(runStats.fieldIndex("nulls__" + c)), n, checks.maxNullRate(c)));
      }
      for (Expectation e : expectations) {
        results.add(AuditChecks.expectation(e, runStats.getLong(runStats.fieldIndex("expect__" + e.name())), n));
      }
    }
    results.add(SchemaCheck.of(table, snapshotId));
    for (String c : numeric) {
      PsiBins b = bins.get(c);
      long[] runCounts = b == null || runStats == null ? null : ColumnAggregates.binCounts(runStats, c, b);
      long[] baseCounts = b == null || baseStats == null ? null : ColumnAggregates.binCounts(baseStats, c, b);
      results.add(AuditChecks.psi(c, checks.maxPsi(c), baseline.exists(), b, runCounts, baseCounts, against));
      metrics.addAll(ReportMetrics.binShares(c, b, runCounts, baseCounts));
    }
    boolean passed = results.stream().allMatch(AuditCheck::passed);
    LOG.info("Audit of run {} ({}): plan {} ms, metrics pass {} ms, duplicate keys and checks {} ms",
        run.runId(), (observed.isPresent() ? "run side observed during the write" : "run side scanned")
            + (ready.isPresent() ? ", baseline prepared during the write" : ""), (tPlan - t0) / 1_000_000,
        (tMetrics - tPlan) / 1_000_000, (System.nanoTime() - tMetrics) / 1_000_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new AuditReport(0, run.runId(), tableName, snapshotId, baseline.kind(), baseline.snapshotId(), baseline.start(),
        baseline.end(), n, baseN, passed, (int) results.stream().filter(r -> !r.passed()).count(), null, ms, results, metrics, null, null);
  }

  /** The Spark schema of {@code snapshotId} from the table's metadata, or empty if the table does not know the snapshot. */
  private static Optional<StructType> snapshotSchema(Table table, long snapshotId) {
    Snapshot at = table.snapshot(snapshotId);
    if (at == null) {
      return Optional.empty();
    }
    Schema schema = at.schemaId() == null ? table.schema() : table.schemas().get(at.schemaId());
    return Optional.ofNullable(schema).map(SparkSchemaUtil::convert);
  }

  /** The run's rows, read on first use. */
  private static final class RunRows {
    private final java.util.function.Supplier<Dataset<Row>> read;
    private Dataset<Row> rows;

    RunRows(java.util.function.Supplier<Dataset<Row>> read) {
      this.read = read;
    }

    Dataset<Row> get() {
      if (rows == null) {
        rows = read.get();
      }
      return rows;
    }
  }

  private Dataset<Row> baselineRows(FeatureViewDefinition view, AuditBaseline baseline) {
    return window(read(FeatureTables.tableName(view.name()), baseline.snapshotId()), view, baseline.start(), baseline.end());
  }

  private Dataset<Row> read(String table, long snapshotId) {
    return spark.read().option("snapshot-id", snapshotId).table(table);
  }

  private static Dataset<Row> window(Dataset<Row> rows, FeatureViewDefinition view, LocalDate start, LocalDate end) {
    Column ts = q(view.eventTimestamp());
    return rows.where(ts.geq(lit(java.sql.Date.valueOf(start))).and(ts.lt(lit(java.sql.Date.valueOf(end)))));
  }

  static List<Column> keyColumns(FeatureViewDefinition view) {
    List<Column> keys = new ArrayList<>();
    view.entities().forEach(e -> keys.add(q(e)));
    keys.add(q(view.eventTimestamp()));
    return keys;
  }

  /** Rows beyond the first per (entity, timestamp): a grouped count, far cheaper than a DISTINCT inside the metrics pass. */
  private static long duplicateKeys(Dataset<Row> runRows, List<Column> keys) {
    Row r = runRows.groupBy(keys.toArray(new Column[0])).count().where(col("count").gt(1))
        .agg(sum(col("count").minus(1))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  static List<String> numericFeatures(FeatureViewDefinition view, Dataset<Row> rows) {
    return numericFeatures(view, rows.schema());
  }

  private static List<String> numericFeatures(FeatureViewDefinition view, StructType schema) {
    List<String> requested = view.checks().psiColumns();
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      boolean isKey = view.entities().contains(f.name()) || f.name().equals(view.eventTimestamp());
      if (!isKey && f.dataType() instanceof NumericType && (requested.isEmpty() || requested.contains(f.name()))) {
        out.add(f.name());
      }
    }
    return out;
  }
}
