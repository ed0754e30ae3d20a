package io.featurelake.sqlcatalog.database;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The platform's catalog database: embedded H2 file database by default, PostgreSQL by URL.
 * Its schema is owned by the Flyway migrations under {@code db/migration}.
 */
public final class CatalogDatabase implements DataSource {

  private final String url;
  private final String user;
  private final String password;

  public CatalogDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password == null ? "" : password;
  }

  public static CatalogDatabase fromConfig(FeaturelakeConfig config) {
    if (config.embeddedCatalogDatabase()) {
      try {
        Files.createDirectories(config.home().resolve("catalog"));
      } catch (IOException e) {
        throw new CatalogDatabaseException("Cannot create the catalog directory under " + config.home() + ": " + e.getMessage(), e);
      }
    }
    return new CatalogDatabase(config.catalogDbUrl(), config.catalogDbUser(), config.catalogDbPassword());
  }

  /** Applies pending migrations. Safe to call from several processes at once (Flyway locks). */
  public MigrateResult migrate() {
    try {
      return flyway().migrate();
    } catch (RuntimeException e) {
      throw new CatalogDatabaseException("Migrating the catalog database at " + FeaturelakeConfig.maskUrl(url)
          + " failed: " + e.getMessage(), e);
    }
  }

  /** Version of the newest applied migration, if any. */
  public Optional<String> schemaVersion() {
    MigrationInfo current = flyway().info().current();
    return current == null ? Optional.empty() : Optional.of(current.getVersion().getVersion());
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load();
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** Directory of the embedded database file, if this is one. */
  public Optional<Path> embeddedFile() {
    if (!url.startsWith("jdbc:h2:file:")) {
      return Optional.empty();
    }
    String rest = url.substring("jdbc:h2:file:".length());
    int semicolon = rest.indexOf(';');
    return Optional.of(Path.of(semicolon < 0 ? rest : rest.substring(0, semicolon)));
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public Connection getConnection(String username, String pass) throws SQLException {
    return DriverManager.getConnection(url, username, pass);
  }

  @Override
  public PrintWriter getLogWriter() {
    return DriverManager.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    DriverManager.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("Not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
