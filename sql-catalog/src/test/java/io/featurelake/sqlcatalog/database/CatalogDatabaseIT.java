package io.featurelake.sqlcatalog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogDatabaseIT {

  @TempDir Path workDir;

  @Test
  void migrationsApplyOnEmbeddedH2AndAreIdempotent() throws Exception {
    CatalogDatabase db = CatalogDatabase.fromConfig(FeaturelakeConfig.load(Map.of(), new Properties(), workDir));

    MigrateResult first = db.migrate();
    MigrateResult second = db.migrate();

    assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(1);
    assertThat(second.migrationsExecuted).isZero();
    assertThat(db.schemaVersion()).isPresent();
    assertThat(db.embeddedFile()).contains(workDir.resolve("featurelake-data/catalog/featurelake"));
    assertThat(tables(db)).contains("feature_views", "flyway_schema_history");
  }

  @Test
  void migrationsApplyOnPostgres() throws Exception {
    try (PostgresTestDatabase pg = PostgresTestDatabase.create("fl_catalog_it")) {
      CatalogDatabase db = pg.catalogDatabase();

      assertThat(db.migrate().migrationsExecuted).isGreaterThanOrEqualTo(1);
      assertThat(db.migrate().migrationsExecuted).isZero();
      assertThat(db.isPostgres()).isTrue();
      assertThat(tables(db)).contains("feature_views", "flyway_schema_history");
    }
  }

  @Test
  void twoProcessesSharingTheEmbeddedFileMigrateOnce() throws Exception {
    FeaturelakeConfig config = FeaturelakeConfig.load(Map.of(), new Properties(), workDir);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Integer>> jobs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        // Separate CatalogDatabase instances, like two JVMs opening the same AUTO_SERVER file.
        jobs.add(() -> CatalogDatabase.fromConfig(config).migrate().migrationsExecuted);
      }
      int executed = 0;
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        executed += f.get();
      }
      // Flyway's lock lets exactly one of them apply each migration.
      assertThat(executed).isEqualTo(appliedMigrations(config)).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unreachableDatabaseGivesAClearError() {
    CatalogDatabase db = new CatalogDatabase("jdbc:postgresql://127.0.0.1:1/nothing?password=secret", "x", "y");

    assertThatThrownBy(db::migrate)
        .isInstanceOf(CatalogDatabaseException.class)
        .hasMessageStartingWith("Migrating the catalog database at jdbc:postgresql://127.0.0.1:1/nothing?password=**** failed:")
        .hasMessageNotContaining("secret");
  }

  private static int appliedMigrations(FeaturelakeConfig config) throws SQLException {
    try (Connection c = CatalogDatabase.fromConfig(config).getConnection();
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<String> tables(CatalogDatabase db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.getConnection();
         ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return names;
  }
}
