package io.featurelake.gateway.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A feature view's SQL for one window with every source read at a pinned snapshot
 * ({@code lake.raw.events VERSION AS OF <id>}). The backfill pins the sources when a run starts;
 * reproducing a run uses the same pins, so both compute from exactly the same input.
 */
public final class PinnedQuery {

  private PinnedQuery() {}

  /** The rendered SQL; a source pinned to null (an empty table at run time) is read as it is. */
  public static String render(FeatureViewDefinition view, LocalDate start, LocalDate endExclusive, Map<String, Long> pins) {
    String sql = view.render(start, endExclusive);
    for (Map.Entry<String, Long> pin : pins.entrySet()) {
      if (pin.getValue() != null) {
        Pattern name = Pattern.compile("(?i)(?<![\\w.`])" + Pattern.quote(pin.getKey()) + "(?![\\w`])");
        sql = name.matcher(sql).replaceAll(Matcher.quoteReplacement(pin.getKey() + " VERSION AS OF " + pin.getValue()));
      }
    }
    return sql;
  }

  /** The rows of the window; rows outside it are dropped (a dynamic overwrite must not touch other days). */
  public static Dataset<Row> compute(SparkSession spark, FeatureViewDefinition view, LocalDate start,
      LocalDate endExclusive, Map<String, Long> pins) {
    Dataset<Row> df;
    try {
      df = spark.sql(render(view, start, endExclusive, pins));
    } catch (RuntimeException e) {
      throw new PlatformException(ErrorCode.INVALID_DEFINITION, view.sourcePath().replace(".yaml", ".sql")
          + ": the SQL does not compile: " + ConciseErrors.message(e), e);
    }
    Column ts = col("`" + view.eventTimestamp() + "`");
    return df.where(ts.geq(lit(java.sql.Date.valueOf(start))).and(ts.lt(lit(java.sql.Date.valueOf(endExclusive)))));
  }
}
