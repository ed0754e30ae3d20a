package io.featurelake.gateway.procedures;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Installs {@link CallStatementParser} and the argument check of platform procedures. Listed in {@code spark.sql.extensions} before Iceberg's
 * extensions, so Iceberg's parser wraps this one and hands it every statement it does not claim.
 */
public final class CallStatementExtension extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectParser(new AbstractFunction2<SparkSession, ParserInterface, ParserInterface>() {
      @Override
      public ParserInterface apply(SparkSession session, ParserInterface delegate) {
        return new CallStatementParser(delegate);
      }
    });
    extensions.injectResolutionRule(new AbstractFunction1<SparkSession, Rule<LogicalPlan>>() {
      @Override
      public Rule<LogicalPlan> apply(SparkSession session) {
        return new PlatformCallCheck(session);
      }
    });
    // Who may write what (docs/security.md): checked on the analysed plan, before anything runs.
    extensions.injectCheckRule(new AbstractFunction1<SparkSession, scala.Function1<LogicalPlan, BoxedUnit>>() {
      @Override
      public scala.Function1<LogicalPlan, BoxedUnit> apply(SparkSession session) {
        return new io.featurelake.gateway.security.StatementGuard(session);
      }
    });
    return BoxedUnit.UNIT;
  }

  /** Value for {@code spark.sql.extensions}: this extension, then Iceberg's. */
  public static String extensionsConf() {
    return CallStatementExtension.class.getName() + ",org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
  }
}
