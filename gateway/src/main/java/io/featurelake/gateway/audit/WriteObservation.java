package io.featurelake.gateway.audit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionSet;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * The run side of an audit, computed while the run's rows are written: the rows to write carry a
 * Spark observation (the same aggregates the audit's scan computes: among them the exact counts in
 * the PSI bins the plan took from the baseline and the violations of each row-level expectation;
 * plus a per-key row number for duplicate keys, unless the query's plan proves one row per key; and the values and deciles that fix these rows' own
 * PSI bins, stored for the next run, {@link StoredBins}), so the audit needs no second pass over what
 * the run wrote. The metrics arrive
 * with the write's query execution; if they do not (a failed write, a listener that lagged), the
 * audit falls back to scanning the branch snapshot.
 *
 * <p>Use: {@link #wrap(SparkSession, String, FeatureViewDefinition, Dataset, AuditService.AuditPlan)} before the write,
 * write {@link #rows()}, then {@link #await(long)} and {@link #close()}.
 */
public final class WriteObservation implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WriteObservation.class);
  private static final String ROW_IN_KEY = "__featurelake_row_in_key";
  /** Observed field: rows beyond the first per (entity, timestamp) key. */
  static final String DUPLICATES = "duplicates";

  /** Whether a definition's query (by sha256 and output schema) is proven one row per key; bounded, oldest out. */
  private static final Map<String, Boolean> PROVEN = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 256;
        }
      });

  private final SparkSession spark;
  private final String name;
  private final Dataset<Row> rows;
  private final CompletableFuture<Row> metrics = new CompletableFuture<>();
  private final QueryExecutionListener listener;

  private WriteObservation(SparkSession spark, String name, Dataset<Row> numbered, List<Column> aggregates) {
    this.spark = spark;
    this.name = name;
    this.listener = new QueryExecutionListener() {
      @Override
      public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        scala.Option<Row> row = qe.observedMetrics().get(name);
        if (row.isDefined()) {
          metrics.complete(row.get());
        }
      }

      @Override
      public void onFailure(String funcName, QueryExecution qe, Exception exception) {
        if (qe.logical().toString().contains(name)) {
          metrics.completeExceptionally(exception);
        }
      }
    };
    Column first = aggregates.get(0);
    Column[] rest = aggregates.subList(1, aggregates.size()).toArray(new Column[0]);
    this.rows = numbered.observe(name, first, rest).drop(ROW_IN_KEY);
    spark.listenerManager().register(listener);
  }

  /**
   * Wraps the rows a run is about to write. The observation is named after {@code runName} (unique
   * per run), so concurrent runs in one session do not take each other's metrics.
   */
  public static WriteObservation wrap(SparkSession spark, String runName, FeatureViewDefinition view, Dataset<Row> computed,
      AuditService.AuditPlan plan) {
    List<String> columns = List.of(computed.columns());
    List<String> numeric = AuditService.numericFeatures(view, computed);
    List<Column> keys = AuditService.keyColumns(view);
    List<Column> aggregates = new ArrayList<>(ColumnAggregates.side(columns, numeric, plan.bins(),
        view.checks().expectations()));
    Dataset<Row> numbered;
    if (uniqueByViewPlan(computed, view)) {
      // The query itself groups by the key (a GROUP BY the entities and the day): Spark's optimizer
      // proves one row per key, so there is nothing to count.
      numbered = computed;
      aggregates.add(coalesce(sum(lit(0L)), lit(0L)).as(DUPLICATES));
    } else {
      // Numbering the rows of each key is a sort of the run's output rows (not of its input
      // events), done inside the write instead of as a second job after it.
      numbered = computed.withColumn(ROW_IN_KEY,
          row_number().over(Window.partitionBy(keys.toArray(new Column[0])).orderBy(keys.toArray(new Column[0]))));
      aggregates.add(sum(when(col(ROW_IN_KEY).gt(1), 1L).otherwise(0L)).as(DUPLICATES));
    }
    // What a pass over these rows as a baseline would compute, so the next run reads their bins from
    // this report. Not when the plan carried its bins: the next run carries them on (unless these
    // rows moved more than CarriedBaseline allows, and then it makes the pass itself).
    if (plan.carried().isEmpty()) {
      aggregates.addAll(ColumnAggregates.edges(numeric));
    }
    return new WriteObservation(spark, "featurelake_" + runName.replaceAll("[^A-Za-z0-9_]", "_"), numbered, aggregates);
  }

  /**
   * {@link #uniqueByPlan} for rows computed by the view's own query: the proof depends on the
   * query's shape (its GROUP BY, DISTINCT, joins), not on the window or the pinned snapshots, so it
   * is made once per definition (sha256) and output schema. Optimizing the query for it also builds
   * its scans, a catalog round trip per source, which the write then does again.
   */
  static boolean uniqueByViewPlan(Dataset<Row> computed, FeatureViewDefinition view) {
    String key = view.sha256() + "|" + computed.schema().json();
    Boolean known = PROVEN.get(key);
    if (known == null) {
      known = uniqueByPlan(computed, view);
      PROVEN.put(key, known);
    }
    return known;
  }

  /**
   * Whether the optimized plan of {@code computed} guarantees at most one row per (entity,
   * timestamp) key: one of its distinct-key sets (Spark's {@code LogicalPlan.distinctKeys}, what
   * the optimizer itself relies on, from a GROUP BY, a DISTINCT or a join on unique keys) is made
   * only of output columns that are keys. Anything it cannot prove counts as "not unique".
   */
  static boolean uniqueByPlan(Dataset<Row> computed, FeatureViewDefinition view) {
    Set<String> keys = new HashSet<>();
    view.entities().forEach(e -> keys.add(e.toLowerCase(Locale.ROOT)));
    keys.add(view.eventTimestamp().toLowerCase(Locale.ROOT));
    LogicalPlan plan = computed.queryExecution().optimizedPlan();
    Set<ExprId> output = new HashSet<>();
    JavaConverters.seqAsJavaList(plan.output()).forEach(a -> output.add(a.exprId()));
    for (ExpressionSet distinct : JavaConverters.setAsJavaSet(plan.distinctKeys())) {
      boolean onlyKeys = true;
      for (Expression e : JavaConverters.setAsJavaSet(distinct)) {
        onlyKeys &= e instanceof Attribute a && output.contains(a.exprId()) && keys.contains(a.name().toLowerCase(Locale.ROOT));
      }
      if (onlyKeys) {
        return true;
      }
    }
    return false;
  }

  /** What to write: the computed rows, observed. */
  public Dataset<Row> rows() {
    return rows;
  }

  /** The observed metrics of the completed write, or empty if they did not arrive in time. */
  public Optional<Row> await(long timeoutMs) {
    try {
      return Optional.of(metrics.get(timeoutMs, TimeUnit.MILLISECONDS));
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("No observed metrics from the write of {} ({}); the audit will scan the branch", name, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    spark.listenerManager().unregister(listener);
  }
}
