package io.featurelake.sqlcatalog.tables;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.TableName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The lake's Iceberg tables, for reading their metadata. The gateway hands in the catalog its
 * Spark session already holds; any other JVM (the web UI, a test) opens Iceberg's own JDBC
 * catalog on the same catalog database and warehouse, without Spark ({@link #open}).
 */
public final class LakeTables implements AutoCloseable {

  private final Catalog catalog;
  private final boolean owned;

  private LakeTables(Catalog catalog, boolean owned) {
    this.catalog = catalog;
    this.owned = owned;
  }

  /** Over a catalog someone else owns (the gateway's Spark catalog); {@link #close} leaves it open. */
  public static LakeTables of(Catalog catalog) {
    return new LakeTables(catalog, false);
  }

  /**
   * Iceberg's JDBC catalog over the configured catalog database and warehouse, set up as the
   * gateway sets up its {@code lake} catalog (schema version V1, no table cache: a commit made by
   * another JVM is seen at the next load).
   */
  public static LakeTables open(FeaturelakeConfig config, CatalogDatabase db) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", db.url());
    props.put("jdbc.user", db.user());
    props.put("jdbc.password", db.password());
    props.put("jdbc.schema-version", "V1");
    props.put("warehouse", config.warehouse());
    props.put("cache-enabled", "false");
    JdbcCatalog jdbc = new JdbcCatalog();
    jdbc.setConf(new Configuration());
    jdbc.initialize(LakeNames.CATALOG, props);
    return new LakeTables(jdbc, true);
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The table, freshly loaded; NOT_FOUND naming it when it does not exist. */
  public Table load(TableName name) {
    try {
      return catalog.loadTable(name.identifier());
    } catch (NoSuchTableException e) {
      throw PlatformException.notFound("Table %s does not exist", name.qualified());
    }
  }

  public boolean exists(TableName name) {
    return catalog.tableExists(name.identifier());
  }

  /** The feature table of a view ({@code lake.features.<view>}). */
  public Table featureTable(String view) {
    return load(LakeNames.featureTableName(view));
  }

  /** Tables of one namespace, sorted by name; empty when the namespace does not exist. */
  public List<TableName> list(String namespace) {
    try {
      return catalog.listTables(Namespace.of(namespace)).stream().map(TableName::of)
          .sorted(java.util.Comparator.comparing(TableName::qualified)).toList();
    } catch (NoSuchNamespaceException e) {
      return List.of();
    }
  }

  /** Namespaces of the catalog, if it has any. */
  public List<String> namespaces() {
    if (catalog instanceof SupportsNamespaces ns) {
      return ns.listNamespaces().stream().map(Namespace::toString).sorted().toList();
    }
    return List.of();
  }

  static TableIdentifier id(TableName name) {
    return name.identifier();
  }

  @Override
  public void close() throws Exception {
    if (owned && catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
