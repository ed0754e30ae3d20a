package io.featurelake.gateway.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.NoSuchViewException;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.ViewCatalog;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * Lists what a DBeaver tree shows (catalogs, namespaces, tables, views, columns) from Spark's
 * v2 catalogs. The session catalog {@code spark_catalog} is left out: hive-jdbc's getTables never
 * sends a catalog name, so its {@code default} database would show up under every catalog.
 */
public final class CatalogBrowser {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogBrowser.class);
  private static final String SESSION_CATALOG = "spark_catalog";
  private static final String CATALOG_CONF_PREFIX = "spark.sql.catalog.";

  /** A table or view with its namespace. */
  public record TableEntry(String catalog, String namespace, String name, String type, String remarks) {}

  /** A column of a table or view; position is 1-based. */
  public record ColumnEntry(TableEntry table, String name, org.apache.spark.sql.types.DataType type,
      boolean nullable, String comment, int position) {}

  private final SparkSession spark;

  public CatalogBrowser(SparkSession spark) {
    this.spark = spark;
  }

  /** Names of the configured v2 catalogs, sorted. */
  public List<String> catalogs() {
    TreeSet<String> names = new TreeSet<>();
    Map<String, String> all = JavaConverters.mapAsJavaMap(spark.conf().getAll());
    for (String key : all.keySet()) {
      if (key.startsWith(CATALOG_CONF_PREFIX)) {
        String name = key.substring(CATALOG_CONF_PREFIX.length());
        if (!name.contains(".") && !name.equals(SESSION_CATALOG)) {
          names.add(name);
        }
      }
    }
    return new ArrayList<>(names);
  }

  public List<String> catalogs(String catalogPattern) {
    NamePattern pattern = NamePattern.of(catalogPattern);
    return catalogs().stream().filter(pattern::matches).toList();
  }

  /** Namespaces (nested ones joined with '.') of the matching catalogs: [catalog, namespace] pairs. */
  public List<String[]> namespaces(String catalogPattern, String schemaPattern) {
    NamePattern pattern = NamePattern.of(schemaPattern);
    List<String[]> out = new ArrayList<>();
    for (String catalog : catalogs(catalogPattern)) {
      CatalogPlugin plugin = plugin(catalog);
      if (!(plugin instanceof SupportsNamespaces)) {
        continue;
      }
      for (String[] ns : allNamespaces((SupportsNamespaces) plugin)) {
        String name = String.join(".", ns);
        if (pattern.matches(name)) {
          out.add(new String[] {catalog, name});
        }
      }
    }
    return out;
  }

  public List<TableEntry> tables(String catalogPattern, String schemaPattern, String tablePattern, List<String> types) {
    NamePattern names = NamePattern.of(tablePattern);
    boolean wantTables = types == null || types.isEmpty() || types.stream().anyMatch("TABLE"::equalsIgnoreCase);
    boolean wantViews = types == null || types.isEmpty() || types.stream().anyMatch("VIEW"::equalsIgnoreCase);
    List<TableEntry> out = new ArrayList<>();
    for (String[] catalogAndNs : namespaces(catalogPattern, schemaPattern)) {
      CatalogPlugin plugin = plugin(catalogAndNs[0]);
      String[] ns = catalogAndNs[1].split("\\.");
      try {
        if (wantTables && plugin instanceof TableCatalog) {
          for (Identifier id : ((TableCatalog) plugin).listTables(ns)) {
            if (names.matches(id.name())) {
              out.add(new TableEntry(catalogAndNs[0], catalogAndNs[1], id.name(), "TABLE", tableComment((TableCatalog) plugin, id)));
            }
          }
        }
        if (wantViews && plugin instanceof ViewCatalog) {
          for (Identifier id : ((ViewCatalog) plugin).listViews(ns)) {
            if (names.matches(id.name())) {
              out.add(new TableEntry(catalogAndNs[0], catalogAndNs[1], id.name(), "VIEW", ""));
            }
          }
        }
      } catch (NoSuchNamespaceException e) {
        // Dropped between listing namespaces and listing its tables: nothing to show.
        LOG.debug("Namespace {} vanished while listing", catalogAndNs[1]);
      }
    }
    return out;
  }

  public List<ColumnEntry> columns(String catalogPattern, String schemaPattern, String tablePattern, String columnPattern) {
    NamePattern columns = NamePattern.of(columnPattern);
    List<ColumnEntry> out = new ArrayList<>();
    for (TableEntry table : tables(catalogPattern, schemaPattern, tablePattern, null)) {
      StructType schema = schema(table);
      if (schema == null) {
        continue;
      }
      for (int i = 0; i < schema.fields().length; i++) {
        var field = schema.fields()[i];
        if (columns.matches(field.name())) {
          String comment = field.getComment().isDefined() ? field.getComment().get() : "";
          out.add(new ColumnEntry(table, field.name(), field.dataType(), field.nullable(), comment, i + 1));
        }
      }
    }
    return out;
  }

  private StructType schema(TableEntry table) {
    CatalogPlugin plugin = plugin(table.catalog());
    Identifier id = Identifier.of(table.namespace().split("\\."), table.name());
    try {
      if (table.type().equals("VIEW")) {
        return ((ViewCatalog) plugin).loadView(id).schema();
      }
      return ((TableCatalog) plugin).loadTable(id).schema();
    } catch (NoSuchTableException | NoSuchViewException e) {
      return null;
    }
  }

  private static String tableComment(TableCatalog catalog, Identifier id) {
    try {
      String comment = catalog.loadTable(id).properties().get(TableCatalog.PROP_COMMENT);
      return comment == null ? "" : comment;
    } catch (NoSuchTableException | RuntimeException e) {
      return "";
    }
  }

  private CatalogPlugin plugin(String name) {
    return spark.sessionState().catalogManager().catalog(name);
  }

  private static List<String[]> allNamespaces(SupportsNamespaces catalog) {
    List<String[]> out = new ArrayList<>();
    try {
      collect(catalog, new String[0], out);
    } catch (NoSuchNamespaceException e) {
      LOG.debug("Namespace vanished while listing", e);
    }
    out.sort((a, b) -> String.join(".", a).compareTo(String.join(".", b)));
    return out;
  }

  private static void collect(SupportsNamespaces catalog, String[] parent, List<String[]> out) throws NoSuchNamespaceException {
    String[][] children = parent.length == 0 ? catalog.listNamespaces() : catalog.listNamespaces(parent);
    for (String[] child : children) {
      if (child.length <= parent.length || !Arrays.equals(Arrays.copyOf(child, parent.length), parent)) {
        continue;
      }
      out.add(child);
      collect(catalog, child, out);
    }
  }
}
