package io.featurelake.webui.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The UI's door to the gateway: the same JDBC driver DBeaver uses (hive-jdbc standalone), loaded
 * in its own class loader because the jar bundles unshaded slf4j and XML factories that would
 * break this application's logging and XML parsing if they met on one class path. A connection
 * per call keeps the UI free of session state on the gateway (each is a new Spark session there).
 */
public final class GatewayClient {

  private static final String DRIVER_CLASS = "org.apache.hive.jdbc.HiveDriver";

  private final String url;
  private final Path driverJar;
  private final AtomicReference<Driver> driver = new AtomicReference<>();

  /**
   * Whom a connection is opened for: the logged-in user and their password (kept in the
   * session's memory only), or with the UI's login off the OS user and no password.
   */
  public record Login(String user, char[] password) {
    @Override
    public String toString() {
      return user;
    }
  }

  public GatewayClient(String url, Path driverJar) {
    this.url = url;
    this.driverJar = driverJar;
  }

  public String url() {
    return url;
  }

  /** A quick TCP check of the gateway's port (no session opened): for banners and buttons. */
  public boolean reachable() {
    URI uri = URI.create(url.substring("jdbc:".length()));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 10000 : uri.getPort()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs one statement as {@code login}'s user; returns at most {@code maxRows} rows. */
  public QueryResult query(String sql, int maxRows, Login login) {
    long t0 = System.nanoTime();
    try (Connection c = connect(login); Statement st = c.createStatement()) {
      st.setMaxRows(maxRows + 1);
      boolean hasRows = st.execute(sql);
      List<String> columns = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      boolean truncated = false;
      if (hasRows) {
        try (ResultSet rs = st.getResultSet()) {
          ResultSetMetaData md = rs.getMetaData();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
          }
          while (rs.next()) {
            if (rows.size() == maxRows) {
              truncated = true;
              break;
            }
            List<String> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
              Object v = rs.getObject(i);
              row.add(v == null ? null : v.toString());
            }
            rows.add(row);
          }
        }
      }
      return new QueryResult(columns, rows, truncated, (System.nanoTime() - t0) / 1_000_000);
    } catch (SQLException e) {
      throw translate(e, url);
    }
  }

  private Connection connect(Login login) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", login.user());
    if (login.password() != null) {
      props.setProperty("password", new String(login.password()));
    }
    Connection c = driver().connect(url, props);
    if (c == null) {
      throw new GatewayException("The JDBC driver does not accept the URL " + url);
    }
    return c;
  }

  private Driver driver() {
    Driver d = driver.get();
    if (d != null) {
      return d;
    }
    if (driverJar == null || !Files.isRegularFile(driverJar)) {
      throw new GatewayException("The gateway's JDBC driver jar is missing (" + driverJar
          + "); run ./run_ui.sh, which builds it, or set featurelake.ui.jdbc-driver");
    }
    try {
      URLClassLoader loader = new URLClassLoader(new URL[] {driverJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      d = (Driver) Class.forName(DRIVER_CLASS, true, loader).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | IOException e) {
      throw new GatewayException("Cannot load the JDBC driver from " + driverJar + ": " + e);
    }
    driver.compareAndSet(null, d);
    return driver.get();
  }

  /** The gateway already sends one line; a dead gateway becomes a message naming the URL. */
  static GatewayException translate(SQLException e, String url) {
    String message = firstLine(e.getMessage());
    boolean unreachable = message.contains("Could not open client transport")
        || message.contains("Connection refused") || message.contains("Socket is closed");
    if (unreachable) {
      return new GatewayException("The gateway at " + url + " is not reachable (is ./run_gateway.sh running?)");
    }
    if (message.startsWith("Error while compiling statement: ") || message.startsWith("Error running query: ")) {
      message = message.substring(message.indexOf(": ") + 2);
    }
    return new GatewayException(message);
  }

  static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "the gateway gave no message";
    }
    String line = message.strip().lines().findFirst().orElse("");
    return line.length() > 500 ? line.substring(0, 500) + " ..." : line;
  }
}
