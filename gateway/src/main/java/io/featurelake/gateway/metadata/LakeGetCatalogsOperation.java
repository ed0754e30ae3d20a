package io.featurelake.gateway.metadata;

import org.apache.hive.service.cli.session.HiveSession;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.hive.thriftserver.SparkGetCatalogsOperation;

/** {@code DatabaseMetaData.getCatalogs()}: the v2 catalogs (Spark's own answer is empty). */
public final class LakeGetCatalogsOperation extends SparkGetCatalogsOperation {

  public LakeGetCatalogsOperation(SQLContext sqlContext, HiveSession session) {
    super(sqlContext, session);
  }

  @Override
  public void runInternal() {
    MetadataCall.run("getCatalogs", "Listing catalogs", statementId(), getParentSession(), this::setState, () -> {
      for (String catalog : new CatalogBrowser(sqlContext().sparkSession()).catalogs()) {
        rowSet.addRow(new Object[] {catalog});
      }
    });
  }
}
