package io.featurelake.gateway.metadata;

import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.SparkGetSchemasOperation;

/** {@code DatabaseMetaData.getSchemas()}: namespaces of the v2 catalogs, as TABLE_SCHEM/TABLE_CATALOG. */
public final class LakeGetSchemasOperation extends SparkGetSchemasOperation {

  private final String catalogPattern;
  private final String schemaPattern;

  public LakeGetSchemasOperation(SQLContext sqlContext, HiveSession session, String catalogName, String schemaName) {
    super(sqlContext, session, catalogName, schemaName);
    this.catalogPattern = catalogName;
    this.schemaPattern = schemaName;
  }

  @Override
  public void runInternal() {
    String description = "Listing schemas catalog=" + catalogPattern + " schema=" + schemaPattern;
    MetadataCall.run("getSchemas", description, statementId(), getParentSession(), this::setState, () -> {
      for (String[] catalogAndNamespace : new CatalogBrowser(sqlContext().sparkSession()).namespaces(catalogPattern, schemaPattern)) {
        rowSet.addRow(new Object[] {catalogAndNamespace[1], catalogAndNamespace[0]});
      }
    });
  }
}
