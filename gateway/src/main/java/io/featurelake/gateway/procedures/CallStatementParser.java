package io.featurelake.gateway.procedures;

import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import org.apache.spark.sql.catalyst.parser.extensions.IcebergParseException;
import org.apache.spark.sql.catalyst.parser.extensions.IcebergSparkSqlExtensionsParser;
import org.apache.spark.sql.catalyst.parser.extensions.IcebergSqlExtensionsAstBuilder;
import org.apache.spark.sql.catalyst.parser.extensions.IcebergSqlExtensionsParser;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;

/**
 * Sends every {@code CALL} statement to Iceberg's grammar. Iceberg 1.12's parser only takes a
 * {@code CALL} naming one of its own {@code system.*} procedures and leaves the rest to Spark 3.5,
 * which has no {@code CALL} at all; so {@code CALL lake.platform.describe()} would be a syntax error.
 * Everything else goes to the delegate unchanged.
 */
public final class CallStatementParser implements ParserInterface {

  // Leading whitespace and comments, then the CALL keyword.
  private static final Pattern CALL = Pattern.compile(
      "^(\\s|--[^\\n]*(\\n|$)|/\\*.*?\\*/)*CALL\\b.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private final ParserInterface delegate;
  private final IcebergSparkSqlExtensionsParser icebergParser;
  private final IcebergSqlExtensionsAstBuilder astBuilder;

  public CallStatementParser(ParserInterface delegate) {
    this.delegate = delegate;
    this.icebergParser = new IcebergSparkSqlExtensionsParser(delegate);
    this.astBuilder = new IcebergSqlExtensionsAstBuilder(delegate);
  }

  static boolean isCall(String sql) {
    return CALL.matcher(sql).matches();
  }

  @Override
  public LogicalPlan parsePlan(String sqlText) throws ParseException {
    if (!isCall(sqlText)) {
      return delegate.parsePlan(sqlText);
    }
    try {
      return icebergParser.parse(sqlText, new AbstractFunction1<IcebergSqlExtensionsParser, LogicalPlan>() {
        @Override
        public LogicalPlan apply(IcebergSqlExtensionsParser parser) {
          return (LogicalPlan) astBuilder.visit(parser.singleStatement());
        }
      });
    } catch (Exception thrown) {
      // Scala declares no checked exceptions; IcebergParseException (an AnalysisException) is one.
      if (!(thrown instanceof IcebergParseException e)) {
        throw thrown;
      }
      String where = e.line().isDefined() ? " (line " + e.line().get() + ", pos " + e.startPosition().get() + ")" : "";
      throw new PlatformException(ErrorCode.SYNTAX_ERROR, "CALL does not parse: " + firstLine(e.getMessage()) + where
          + "; arguments must be literals: quote dates and names ('2023-01-01'), write numbers and true/false bare", e);
    }
  }

  private static String firstLine(String message) {
    for (String line : message.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return message;
  }

  @Override
  public LogicalPlan parseQuery(String sqlText) throws ParseException {
    return delegate.parseQuery(sqlText);
  }

  @Override
  public Expression parseExpression(String sqlText) throws ParseException {
    return delegate.parseExpression(sqlText);
  }

  @Override
  public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
    return delegate.parseTableIdentifier(sqlText);
  }

  @Override
  public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
    return delegate.parseFunctionIdentifier(sqlText);
  }

  @Override
  public Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
    return delegate.parseMultipartIdentifier(sqlText);
  }

  @Override
  public StructType parseTableSchema(String sqlText) throws ParseException {
    return delegate.parseTableSchema(sqlText);
  }

  @Override
  public DataType parseDataType(String sqlText) throws ParseException {
    return delegate.parseDataType(sqlText);
  }
}
