package io.featurelake.gateway.security;

import io.featurelake.gateway.session.LakeCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NamedRelation;
import org.apache.spark.sql.catalyst.analysis.ResolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.ResolvedNamespace;
import org.apache.spark.sql.catalyst.analysis.ResolvedPersistentView;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Call;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.CreateTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.CreateView;
import org.apache.spark.sql.catalyst.plans.logical.DeleteFromTable;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.MergeIntoTable;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.RowLevelWrite;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.catalyst.plans.logical.UpdateTable;
import org.apache.spark.sql.catalyst.plans.logical.V2WriteCommand;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.iceberg.catalog.Procedure;
import org.apache.spark.sql.connector.iceberg.catalog.ProcedureParameter;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * What an analysed client statement writes, if anything: a verb for messages ("INSERT", "DROP
 * TABLE", "CALL lake.system.fast_forward") and the tables it changes. A command the gateway does
 * not know as read-only and cannot attribute to lake tables (ADD JAR, INSERT OVERWRITE DIRECTORY,
 * v1 tables, a procedure with a computed table argument) is {@code attributed = false}: only an
 * admin may run it.
 */
record StatementWrites(String verb, List<TableRef> targets, boolean attributed) {

  /** Commands that change nothing outside the session (or nothing at all). */
  private static final Set<String> SESSION_ONLY = Set.of("ExplainCommand", "SetCatalogAndNamespace", "ResetCommand",
      "RefreshTable", "RefreshTableCommand", "RefreshResource", "RefreshFunction", "CacheTable", "CacheTableAsSelect",
      "UncacheTable", "ClearCacheCommand", "CreateTempViewUsing", "DropTempViewCommand", "ListFilesCommand",
      "ListJarsCommand", "ListArchivesCommand", "SetCommand");

  /** Iceberg procedures that only read (create_changelog_view makes a temporary view). */
  private static final Set<String> READ_ONLY_PROCEDURES = Set.of("ancestors_of", "create_changelog_view");

  /** Iceberg procedure classes whose SQL names do not follow from the class name. */
  private static final Map<String, String> PROCEDURE_NAMES = Map.of(
      "FastForwardBranchProcedure", "fast_forward",
      "MigrateTableProcedure", "migrate",
      "SnapshotTableProcedure", "snapshot");

  /** Catalog settings a client may not change: a second catalog on the same database would bypass every check. */
  private static final List<String> PROTECTED_SETTINGS = List.of("spark.sql.catalog.", "spark.wap.");

  /** Null when the statement only reads. */
  static StatementWrites of(LogicalPlan plan, SparkSession session) {
    if (plan instanceof Call call) {
      return ofCall(call, session);
    }
    if (!(plan instanceof Command)) {
      return null;
    }
    String simple = plan.getClass().getSimpleName();
    if (plan instanceof SetCommand set) {
      return protectedSetting(set) ? new StatementWrites("SET " + set.kv().get()._1(), List.of(), false) : null;
    }
    if (SESSION_ONLY.contains(simple) || simple.startsWith("Show") || simple.startsWith("Describe")
        || (simple.equals("CreateViewCommand") && !String.valueOf(viewType(plan)).startsWith("PersistedView"))) {
      return null;
    }
    List<TableRef> targets = new ArrayList<>();
    if (plan instanceof V2WriteCommand write) {
      addRelation(write.table(), targets);
    } else if (plan instanceof DeleteFromTable delete) {
      addRelation(delete.table(), targets);
    } else if (plan instanceof UpdateTable update) {
      addRelation(update.table(), targets);
    } else if (plan instanceof MergeIntoTable merge) {
      addRelation(merge.targetTable(), targets);
    } else if (plan instanceof CreateTableAsSelect ctas) {
      addResolved(ctas.name(), targets);
    } else if (plan instanceof ReplaceTableAsSelect rtas) {
      addResolved(rtas.name(), targets);
    } else if (plan instanceof CreateView view) {
      addResolved(view.child(), targets);
    } else {
      // Other commands name their target among their fields: a resolved table, identifier or
      // namespace (Spark's DDL), or a name as strings (Iceberg's branch, tag and partition DDL).
      for (Object field : JavaConverters.seqAsJavaList(plan.productIterator().toSeq())) {
        if (field instanceof LogicalPlan p) {
          addResolved(p, targets);
        }
      }
      icebergTableName(plan).ifPresent(parts -> targets.add(resolveName(parts, session)));
    }
    return new StatementWrites(verb(plan), targets, !targets.isEmpty() && targets.stream().allMatch(TableRef::inLake));
  }

  boolean writesFeatureTable() {
    return targets.stream().anyMatch(TableRef::isFeatureTable);
  }

  TableRef firstFeatureTable() {
    return targets.stream().filter(TableRef::isFeatureTable).findFirst().orElseThrow();
  }

  String targetText() {
    return targets.isEmpty() ? null : targets.stream().map(TableRef::toString).reduce((a, b) -> a + ", " + b).get();
  }

  private static StatementWrites ofCall(Call call, SparkSession session) {
    Procedure procedure = call.procedure();
    if (procedure.getClass().getName().startsWith("io.featurelake.")) {
      return null; // platform procedures are checked when they run, with their arguments (ProcedureAccess)
    }
    String name = procedureName(procedure);
    if (READ_ONLY_PROCEDURES.contains(name)) {
      return null;
    }
    ProcedureParameter[] params = procedure.parameters();
    List<Expression> args = JavaConverters.seqAsJavaList(call.args());
    List<TableRef> targets = new ArrayList<>();
    boolean attributed = true;
    for (int i = 0; i < params.length && i < args.size(); i++) {
      String param = params[i].name();
      if (!param.equals("table") && !param.equals("source_table")) {
        continue;
      }
      Expression arg = args.get(i);
      Object value = arg.foldable() ? arg.eval(null) : null;
      if (value instanceof UTF8String text) {
        try {
          targets.add(resolveName(JavaConverters.seqAsJavaList(session.sessionState().sqlParser()
              .parseMultipartIdentifier(text.toString())), session));
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
          attributed = false; // Iceberg refuses it too; nothing to attribute
        }
      } else if (!(arg.foldable() && value == null)) {
        attributed = false;
      }
    }
    return new StatementWrites("CALL " + LakeCatalog.NAME + ".system." + name, targets,
        attributed && !targets.isEmpty() && targets.stream().allMatch(TableRef::inLake));
  }

  private static String procedureName(Procedure procedure) {
    String simple = procedure.getClass().getSimpleName();
    String known = PROCEDURE_NAMES.get(simple);
    return known != null ? known : snake(simple.replaceFirst("Procedure$", ""));
  }

  /** A name as Iceberg resolves a procedure's table argument: a leading catalog, else lake and the current namespace. */
  private static TableRef resolveName(List<String> parts, SparkSession session) {
    var catalogs = session.sessionState().catalogManager();
    if (parts.size() > 1 && (parts.get(0).equalsIgnoreCase(LakeCatalog.NAME)
        || catalogs.isCatalogRegistered(parts.get(0)))) {
      return new TableRef(parts.get(0), List.copyOf(parts.subList(1, parts.size())));
    }
    if (parts.size() == 1 && catalogs.currentCatalog().name().equalsIgnoreCase(LakeCatalog.NAME)) {
      List<String> full = new ArrayList<>(Arrays.asList(catalogs.currentNamespace()));
      full.addAll(parts);
      return new TableRef(LakeCatalog.NAME, full);
    }
    return new TableRef(catalogs.currentCatalog().name(), List.copyOf(parts));
  }

  private static void addRelation(LogicalPlan plan, List<TableRef> targets) {
    LogicalPlan p = plan;
    while (p instanceof SubqueryAlias alias) {
      p = alias.child();
    }
    if (p instanceof DataSourceV2Relation relation && relation.catalog().isDefined() && relation.identifier().isDefined()) {
      targets.add(ref(relation.catalog().get(), relation.identifier().get()));
    } else {
      addResolved(p, targets);
    }
  }

  private static void addRelation(NamedRelation relation, List<TableRef> targets) {
    if (relation instanceof LogicalPlan plan) {
      addRelation(plan, targets);
    }
  }

  private static void addResolved(LogicalPlan p, List<TableRef> targets) {
    if (p instanceof ResolvedTable t) {
      targets.add(ref(t.catalog(), t.identifier()));
    } else if (p instanceof ResolvedIdentifier t) {
      targets.add(ref(t.catalog(), t.identifier()));
    } else if (p instanceof ResolvedPersistentView t) {
      targets.add(ref(t.catalog(), t.identifier()));
    } else if (p instanceof ResolvedNamespace ns) {
      targets.add(new TableRef(ns.catalog().name(), JavaConverters.seqAsJavaList(ns.namespace())));
    } else if (p instanceof DataSourceV2Relation || p instanceof SubqueryAlias) {
      addRelation(p, targets);
    }
  }

  private static TableRef ref(CatalogPlugin catalog, Identifier identifier) {
    List<String> parts = new ArrayList<>(Arrays.asList(identifier.namespace()));
    parts.add(identifier.name());
    return new TableRef(catalog.name(), parts);
  }

  /** Iceberg's own DDL (branches, tags, partition fields, write order) carries the table as {@code table: Seq[String]}. */
  private static java.util.Optional<List<String>> icebergTableName(LogicalPlan plan) {
    try {
      Object table = plan.getClass().getMethod("table").invoke(plan);
      if (table instanceof scala.collection.Seq<?> seq) {
        List<String> parts = new ArrayList<>();
        for (Object o : JavaConverters.seqAsJavaList(seq)) {
          parts.add(String.valueOf(o));
        }
        return java.util.Optional.of(parts);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not one of those commands
    }
    return java.util.Optional.empty();
  }

  private static Object viewType(LogicalPlan plan) {
    try {
      return plan.getClass().getMethod("viewType").invoke(plan);
    } catch (ReflectiveOperationException e) {
      return "PersistedView";
    }
  }

  private static boolean protectedSetting(SetCommand set) {
    Option<Tuple2<String, Option<String>>> kv = set.kv();
    if (kv.isEmpty() || kv.get()._2().isEmpty()) {
      return false;
    }
    String key = kv.get()._1().toLowerCase(Locale.ROOT).strip();
    return PROTECTED_SETTINGS.stream().anyMatch(key::startsWith);
  }

  /** The SQL a command came from, as people write it. */
  private static String verb(LogicalPlan plan) {
    if (plan instanceof RowLevelWrite rowLevel) {
      return rowLevel.operation().command().name();
    }
    return switch (plan.getClass().getSimpleName()) {
      case "AppendData" -> "INSERT";
      case "OverwriteByExpression", "OverwritePartitionsDynamic" -> "INSERT OVERWRITE";
      case "DeleteFromTable" -> "DELETE";
      case "UpdateTable" -> "UPDATE";
      case "MergeIntoTable" -> "MERGE";
      case "TruncateTable" -> "TRUNCATE TABLE";
      case "CreateTableAsSelect" -> "CREATE TABLE AS SELECT";
      default -> snake(plan.getClass().getSimpleName().replaceFirst("Command$", "")).replace('_', ' ').toUpperCase(Locale.ROOT);
    };
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
