package io.featurelake.gateway.testing;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The hive-jdbc 4.0.1 standalone driver, loaded in its own class loader the way DBeaver loads a
 * driver jar, so none of its bundled libraries meet Spark's on the test class path.
 */
public final class HiveJdbc {

  private static Driver driver;

  private HiveJdbc() {}

  public static synchronized Driver driver() {
    if (driver == null) {
      String jar = System.getProperty("featurelake.test.jdbc-driver");
      if (jar == null || !Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("hive-jdbc standalone jar not found (" + jar + "); run through Maven failsafe");
      }
      try {
        URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        driver = (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
        throw new IllegalStateException("Cannot load the hive-jdbc driver from " + jar, e);
      }
    }
    return driver;
  }

  public static Connection connect(String url) throws SQLException {
    return connect(url, "tester", null);
  }

  /** Logs in as {@code user}, as DBeaver does with a user name and password. */
  public static Connection connect(String url, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    Connection c = driver().connect(url, props);
    if (c == null) {
      throw new SQLException("Driver did not accept " + url);
    }
    return c;
  }
}
