package io.featurelake.gateway.procedures;

import io.featurelake.gateway.session.LakeCatalog;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.session.Versions;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code CALL lake.platform.describe()}: versions, catalog, warehouse, Spark master and the
 * catalog database (password masked), one (property, value) row each. Read-only.
 */
public final class DescribeProcedure extends TypedProcedure<PropertyRows.Row> {

  public static final String NAME = "describe";


  private final ProcedureServices services;

  public DescribeProcedure(ProcedureServices services) {
    super(NAME, List.of(), PropertyRows.SCHEMA, "Versions and configuration of this featurelake installation");
    this.services = services;
  }

  @Override
  protected List<PropertyRows.Row> rows(ProcedureArgs args) {
    Platform platform = services.platform();
    FeaturelakeConfig config = platform.config();
    CatalogDatabase db = platform.catalogDatabase();
    SparkSession spark = services.spark();

    List<PropertyRows.Row> rows = new ArrayList<>();
    rows.add(new PropertyRows.Row("featurelake_version", Versions.featurelake()));
    rows.add(new PropertyRows.Row("spark_version", spark.version()));
    rows.add(new PropertyRows.Row("iceberg_version", Versions.iceberg()));
    rows.add(new PropertyRows.Row("scala_version", scala.util.Properties.versionNumberString()));
    rows.add(new PropertyRows.Row("java_version", System.getProperty("java.version")));
    rows.add(new PropertyRows.Row("catalog", LakeCatalog.NAME));
    rows.add(new PropertyRows.Row("catalog_type", "iceberg-jdbc"));
    rows.add(new PropertyRows.Row("warehouse", config.warehouse()));
    rows.add(new PropertyRows.Row("spark_master", spark.sparkContext().master()));
    rows.add(new PropertyRows.Row("catalog_db_url", FeaturelakeConfig.maskUrl(db.url())));
    rows.add(new PropertyRows.Row("catalog_db_kind", db.isPostgres() ? "postgresql" : config.embeddedCatalogDatabase() ? "embedded-h2" : "h2"));
    rows.add(new PropertyRows.Row("catalog_db_schema_version", db.schemaVersion().orElse("none")));
    rows.add(new PropertyRows.Row("home", config.home().toString()));
    rows.add(new PropertyRows.Row("config_file", config.sourceFile().map(Object::toString).orElse("(none: defaults and environment)")));
    rows.add(new PropertyRows.Row("gateway_url", platform.gatewayUrl().orElse("(no gateway in this process)")));
    rows.add(new PropertyRows.Row("procedures", String.join(", ", PlatformProcedures.names())));
    return rows;
  }
}
