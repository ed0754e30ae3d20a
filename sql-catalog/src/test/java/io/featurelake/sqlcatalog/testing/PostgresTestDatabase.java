package io.featurelake.sqlcatalog.testing;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A throw-away database on the PostgreSQL server the tests run against (127.0.0.1:5432, trust
 * auth, by default; FEATURELAKE_TEST_PG_URL / _USER / _PASSWORD override it).
 */
public final class PostgresTestDatabase implements AutoCloseable {

  private static final String ADMIN_URL = envOr("FEATURELAKE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = envOr("FEATURELAKE_TEST_PG_USER", "postgres");
  private static final String PASSWORD = envOr("FEATURELAKE_TEST_PG_PASSWORD", "");

  private final String name;
  private final String url;

  private PostgresTestDatabase(String name) {
    this.name = name;
    int slash = ADMIN_URL.lastIndexOf('/');
    this.url = ADMIN_URL.substring(0, slash + 1) + name;
  }

  public static PostgresTestDatabase create(String prefix) throws SQLException {
    String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return new PostgresTestDatabase(name);
  }

  public String url() {
    return url;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  public CatalogDatabase catalogDatabase() {
    return new CatalogDatabase(url, USER, PASSWORD);
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static String envOr(String key, String fallback) {
    String value = System.getenv(key);
    return value == null || value.isBlank() ? fallback : value;
  }
}
