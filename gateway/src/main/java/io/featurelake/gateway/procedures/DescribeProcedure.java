package io.featurelake.gateway.procedures;

import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.session.Versions;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CALL lake.platform.describe()}: versions, catalog, warehouse, Spark master and the
 * catalog database (password masked), one (property, value) row each. Read-only.
 */
public final class DescribeProcedure extends PlatformProcedure {

  public static final String NAME = "describe";

  private static final StructType OUTPUT = new StructType()
      .add("property", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, true);

  private final ProcedureServices services;

  public DescribeProcedure(ProcedureServices services) {
    super(NAME, List.of(), OUTPUT, "Versions and configuration of this featurelake installation");
    this.services = services;
  }

  @Override
  protected List<Object[]> run(ProcedureArgs args) {
    Platform platform = services.platform();
    FeaturelakeConfig config = platform.config();
    CatalogDatabase db = platform.catalogDatabase();
    SparkSession spark = services.spark();

    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {"featurelake_version", Versions.featurelake()});
    rows.add(new Object[] {"spark_version", spark.version()});
    rows.add(new Object[] {"iceberg_version", Versions.iceberg()});
    rows.add(new Object[] {"scala_version", scala.util.Properties.versionNumberString()});
    rows.add(new Object[] {"java_version", System.getProperty("java.version")});
    rows.add(new Object[] {"catalog", LakeCatalog.NAME});
    rows.add(new Object[] {"catalog_type", "iceberg-jdbc"});
    rows.add(new Object[] {"warehouse", config.warehouse()});
    rows.add(new Object[] {"spark_master", spark.sparkContext().master()});
    rows.add(new Object[] {"catalog_db_url", FeaturelakeConfig.maskUrl(db.url())});
    rows.add(new Object[] {"catalog_db_kind", db.isPostgres() ? "postgresql" : config.embeddedCatalogDatabase() ? "embedded-h2" : "h2"});
    rows.add(new Object[] {"catalog_db_schema_version", db.schemaVersion().orElse("none")});
    rows.add(new Object[] {"home", config.home().toString()});
    rows.add(new Object[] {"config_file", config.sourceFile().map(Object::toString).orElse("(none: defaults and environment)")});
    rows.add(new Object[] {"gateway_url", platform.gatewayUrl().orElse("(no gateway in this process)")});
    rows.add(new Object[] {"procedures", String.join(", ", PlatformProcedures.names())});
    return rows;
  }
}
