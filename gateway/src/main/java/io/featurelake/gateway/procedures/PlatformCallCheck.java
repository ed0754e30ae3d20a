package io.featurelake.gateway.procedures;

import io.featurelake.gateway.session.LakeCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.CallArgument;
import org.apache.spark.sql.catalyst.plans.logical.CallStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.NamedArgument;
import org.apache.spark.sql.catalyst.rules.Rule;
import scala.collection.JavaConverters;

/**
 * Analyzer rule: a {@code CALL} of a platform procedure has its arguments checked against the
 * declared signature (see {@link ProcedureSignature}); everything else passes untouched.
 */
final class PlatformCallCheck extends Rule<LogicalPlan> {

  private final SparkSession session;

  PlatformCallCheck(SparkSession session) {
    this.session = session;
  }

  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    if (plan instanceof CallStatement) {
      CallStatement call = (CallStatement) plan;
      String procedureName = platformProcedureName(JavaConverters.seqAsJavaList(call.name()));
      if (procedureName != null) {
        PlatformProcedure procedure = PlatformProcedures.declaration(procedureName);
        List<ProcedureSignature.Argument> args = new ArrayList<>();
        for (CallArgument arg : JavaConverters.seqAsJavaList(call.args())) {
          Expression expr = arg.expr();
          String name = arg instanceof NamedArgument ? ((NamedArgument) arg).name() : null;
          // An unresolved expression (e.g. a function call) has no type yet: Iceberg's resolver casts it later.
          args.add(new ProcedureSignature.Argument(name, expr.resolved() ? expr.dataType() : null, expr.sql()));
        }
        ProcedureSignature.check(procedure, args);
      }
    }
    return plan;
  }

  /** The procedure name if the CALL targets lake.platform.*, else null. */
  private String platformProcedureName(List<String> parts) {
    List<String> lower = parts.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    if (lower.size() == 3 && lower.get(0).equals(LakeCatalog.NAME) && lower.get(1).equals(LakeCatalog.PROCEDURE_NAMESPACE)) {
      return parts.get(2);
    }
    if (lower.size() == 2 && lower.get(0).equals(LakeCatalog.PROCEDURE_NAMESPACE)
        && session.sessionState().catalogManager().currentCatalog().name().equals(LakeCatalog.NAME)) {
      return parts.get(1);
    }
    return null;
  }
}
