package io.featurelake.gateway.lake;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.Expectation;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;

/**
 * Checks of a view's row-level expectations that need Spark: the syntax when the view is loaded
 * (a malformed expression never reaches a run), and the columns against the SQL's output before
 * the write (an expectation naming a column the SQL does not produce).
 */
public final class Expectations {

  private Expectations() {}

  /** Refuses a view whose expectation does not parse as one SQL expression. */
  public static void checkSyntax(FeatureViewDefinition view) {
    for (Expectation e : view.checks().expectations()) {
      try {
        CatalystSqlParser$.MODULE$.parseExpression(e.sql());
      } catch (Exception bad) { // ParseException, undeclared by Scala
        throw new PlatformException(ErrorCode.INVALID_DEFINITION, String.format("%s: expectation '%s' is not a SQL "
            + "expression: %s (%s)", view.sourcePath(), e.name(), e.sql(), firstLine(bad.getMessage())), bad);
      }
    }
  }

  /** Refuses, before anything is written, an expectation that does not resolve to a BOOLEAN over the output rows. */
  public static void checkColumns(FeatureViewDefinition view, Dataset<Row> output) {
    for (Expectation e : view.checks().expectations()) {
      org.apache.spark.sql.types.DataType type;
      try {
        type = output.select(org.apache.spark.sql.functions.expr(e.sql())).schema().fields()[0].dataType();
      } catch (Exception bad) { // AnalysisException, undeclared by Scala
        throw new PlatformException(ErrorCode.INVALID_DEFINITION, String.format("%s: expectation '%s' (%s) does not "
            + "fit the SQL's output: %s", view.sourcePath(), e.name(), e.sql(), ConciseErrors.message(bad)), bad);
      }
      if (!(type instanceof org.apache.spark.sql.types.BooleanType)) {
        throw new PlatformException(ErrorCode.INVALID_DEFINITION, String.format("%s: expectation '%s' (%s) must be "
            + "a BOOLEAN expression, it is %s", view.sourcePath(), e.name(), e.sql(), type.sql()));
      }
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().split("\\R", 2)[0];
  }
}
