package io.featurelake.gateway.metadata;

import java.util.List;
import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.SparkGetTablesOperation;

/** {@code DatabaseMetaData.getTables()}: tables and views of the v2 catalogs. */
public final class LakeGetTablesOperation extends SparkGetTablesOperation {

  private final String catalogPattern;
  private final String schemaPattern;
  private final String tablePattern;
  private final List<String> types;

  public LakeGetTablesOperation(SQLContext sqlContext, HiveSession session, String catalogName, String schemaName,
      String tableName, List<String> tableTypes) {
    super(sqlContext, session, catalogName, schemaName, tableName, tableTypes);
    this.catalogPattern = catalogName;
    this.schemaPattern = schemaName;
    this.tablePattern = tableName;
    this.types = tableTypes;
  }

  @Override
  public void runInternal() {
    String description = "Listing tables catalog=" + catalogPattern + " schema=" + schemaPattern
        + " table=" + tablePattern + " types=" + types;
    MetadataCall.run("getTables", description, statementId(), getParentSession(), this::setState, () -> {
      for (CatalogBrowser.TableEntry t : new CatalogBrowser(sqlContext().sparkSession())
          .tables(catalogPattern, schemaPattern, tablePattern, types)) {
        rowSet.addRow(new Object[] {t.catalog(), t.namespace(), t.name(), t.type(), t.remarks(),
            null, null, null, null, null});
      }
    });
  }
}
