package io.featurelake.gateway.server;

import static io.featurelake.gateway.testing.JdbcRows.properties;
import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same gateway behaviour with the catalog database (and Iceberg's JDBC catalog) on PostgreSQL. */
class PostgresGatewayIT extends AbstractGatewayIT {

  private PostgresTestDatabase pg;

  @Override
  protected FeaturelakeConfig config(Path home, int port) throws Exception {
    pg = PostgresTestDatabase.create("fl_gateway_it");
    return TestConfigs.load(home, port, Map.of(
        "FEATURELAKE_CATALOG_DB_URL", pg.url(),
        "FEATURELAKE_CATALOG_DB_USER", pg.user(),
        "FEATURELAKE_CATALOG_DB_PASSWORD", pg.password()));
  }

  @Override
  protected void afterGatewayStopped() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void catalogLivesInPostgres() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      assertThat(properties(c, "CALL lake.platform.describe()")).containsEntry("catalog_db_kind", "postgresql");
    }
    try (Connection db = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
         ResultSet rs = db.createStatement().executeQuery(
             "SELECT count(*) FROM iceberg_tables WHERE table_namespace = 'demo' AND table_name = 't'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
