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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's door to the gateway: the same JDBC driver DBeaver uses (hive-jdbc standalone), loaded
 * in its own class loader because the jar bundles unshaded slf4j and XML factories that would
 * break this application's logging and XML parsing if they met on one class path.
 *
 * <p>Each UI session has one {@link Login} and through it one connection, opened at its first
 * statement and kept: a connection costs the gateway a password check (600,000 PBKDF2
 * iterations) and a new Spark session, too much to pay per click. A session's statements run one
 * at a time on it (the Thrift transport is not safe for concurrent use). Before a statement goes
 * out on a kept connection, the driver's {@code isValid} asks the gateway a trivial question; if
 * that fails (the gateway restarted) the connection is replaced once and the statement is sent on
 * the new one: nothing of it had been sent. Likewise when the gateway refuses the statement
 * because it no longer knows the connection's session. A connection that breaks while a
 * statement runs is dropped, and the statement is <em>not</em> sent again: a CALL may have run on
 * the gateway before the answer was lost (a dead peer usually shows only when the reply is read,
 * so a broken send does not prove that nothing ran).
 *
 * <p>Two timeouts keep a hung gateway from hanging a UI action: opening a connection (TCP
 * connect, login, session) and the check before a statement must answer within the connect
 * timeout, which the UI enforces itself (hive-jdbc 4.0.1 ignores {@code DriverManager}'s login
 * timeout); every reply during a statement within the read timeout, the driver's
 * {@code socketTimeout} (it applies to each socket read, and the gateway holds the status poll of
 * a running statement until it ends, so it bounds a statement's run time: keep it generous). A
 * connection that timed out is dropped; a statement that timed out is not sent again.
 */
public final class GatewayClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);
  private static final String DRIVER_CLASS = "org.apache.hive.jdbc.HiveDriver";
  /** Seconds for the liveness probe; hive-jdbc ignores it (the probe is bounded by the connect timeout instead). */
  private static final int PROBE_TIMEOUT_SECONDS = 5;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(15);
  /** Opens, checks and closes connections whose wait is bounded or must not hold up a request thread. */
  private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(GatewayClient::backgroundThread);

  private final String url;
  private final Opener opener;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Set<Login> connected = ConcurrentHashMap.newKeySet();

  /** Opens a connection as a login's user: the JDBC driver, or a test's fake. */
  @FunctionalInterface
  interface Opener {
    Connection open(String user, char[] password) throws SQLException;
  }

  /**
   * One UI session's way into the gateway: the user (the logged-in one, or with the UI's login
   * off the OS user), their password (the session's own array, kept in its memory only; null with
   * login off) and the connection opened with them. Never shared between sessions: equality is
   * identity. Close it when the session ends; a closed login runs nothing more.
   */
  public static final class Login implements AutoCloseable {

    private final String user;
    private final char[] password;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Connection connection; // changed only under the lock
    private volatile boolean closed;
    private volatile Runnable onDisconnect = () -> { };

    public Login(String user, char[] password) {
      this.user = user;
      this.password = password;
    }

    public String user() {
      return user;
    }

    /** Whether the login holds an open connection now. */
    public boolean connected() {
      return connection != null;
    }

    /**
     * Closes the connection and refuses later statements. A statement running now is not cut
     * off (its thread still owns the transport): its thread closes the connection when it ends.
     */
    @Override
    public void close() {
      closed = true;
      if (lock.tryLock()) {
        try {
          disconnect();
        } finally {
          lock.unlock();
        }
      }
    }

    /** Drops the connection; the caller holds the lock. */
    private void disconnect() {
      Connection c = connection;
      connection = null;
      if (c != null) {
        onDisconnect.run();
        closeQuietly(c, user);
      }
    }

    /** Forgets the connection without closing it: another thread still uses it and closes it. The caller holds the lock. */
    private void forget() {
      if (connection != null) {
        connection = null;
        onDisconnect.run();
      }
    }

    /**
     * Drops a connection that failed or timed out and closes it in the background: closing says
     * goodbye to the gateway over the same socket, which a hung gateway would not answer. The
     * caller holds the lock.
     */
    private void drop() {
      Connection c = connection;
      connection = null;
      if (c != null) {
        onDisconnect.run();
        BACKGROUND.execute(() -> closeQuietly(c, user));
      }
    }

    @Override
    public String toString() {
      return user;
    }
  }

  public GatewayClient(String url, Path driverJar) {
    this(url, driverJar, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /**
   * @param connectTimeout the longest wait for a connection to open (login included) and for the
   *     check of a kept connection before a statement
   * @param readTimeout the longest wait for any one reply while a statement runs (the driver's
   *     {@code socketTimeout}); a statement that runs longer is cut off and reported
   */
  public GatewayClient(String url, Path driverJar, Duration connectTimeout, Duration readTimeout) {
    this.url = url;
    this.connectTimeout = positive(connectTimeout, "connect");
    this.readTimeout = positive(readTimeout, "read");
    String driverUrl = withSessionVariable(url, "socketTimeout", Long.toString(readTimeout.toMillis()));
    AtomicReference<Driver> driver = new AtomicReference<>();
    this.opener = (user, password) -> {
      Properties props = new Properties();
      props.setProperty("user", user);
      if (password != null) {
        props.setProperty("password", new String(password));
      }
      Connection c = driver(driver, driverJar).connect(driverUrl, props);
      if (c == null) {
        throw new GatewayException("The JDBC driver does not accept the URL " + url);
      }
      return c;
    };
  }

  GatewayClient(String url, Opener opener) {
    this(url, opener, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  GatewayClient(String url, Opener opener, Duration connectTimeout, Duration readTimeout) {
    this.url = url;
    this.opener = opener;
    this.connectTimeout = positive(connectTimeout, "connect");
    this.readTimeout = positive(readTimeout, "read");
  }

  private static Duration positive(Duration timeout, String what) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("The gateway " + what + " timeout must be positive, got " + timeout);
    }
    return timeout;
  }

  /**
   * Adds a hive-jdbc session variable to a URL: {@code jdbc:hive2://h:p/db;name=value}, before the
   * {@code ?} of Hive settings and the {@code #} of Hive variables.
   */
  static String withSessionVariable(String url, String name, String value) {
    int end = url.length();
    for (char c : new char[] {'?', '#'}) {
      int at = url.indexOf(c, "jdbc:hive2://".length());
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return url.substring(0, end) + ";" + name + "=" + value + url.substring(end);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
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

  /** The users of the logins that hold an open connection now, one entry per connection. */
  public List<String> connectedUsers() {
    return connected.stream().map(Login::user).sorted().toList();
  }

  /**
   * Runs one statement as {@code login}'s user on its connection (opened now if it has none);
   * returns at most {@code maxRows} rows.
   */
  public QueryResult query(String sql, int maxRows, Login login) {
    long t0 = System.nanoTime();
    login.lock.lock();
    try {
      if (login.closed) {
        throw new GatewayException("This session's connection to the gateway is closed (logged out?); log in again");
      }
      try {
        return run(liveConnection(login), sql, maxRows, t0);
      } catch (SQLException e) {
        if (!sessionUnknown(e)) {
          throw failure(e, login);
        }
        // The gateway refused the statement because it no longer knows the connection's session
        // (it ended it): nothing ran, so the statement goes once more, on a new connection.
        LOG.info("The gateway no longer knows the session of {}'s connection: opening a new one", login.user);
        login.disconnect();
        try {
          return run(liveConnection(login), sql, maxRows, t0);
        } catch (SQLException again) {
          throw failure(again, login);
        }
      }
    } finally {
      if (login.closed) {
        login.disconnect(); // closed while this statement ran
      }
      login.lock.unlock();
    }
  }

  /** The gateway's answer as it is, or a broken connection dropped and reported as "may have run". */
  private GatewayException failure(SQLException e, Login login) {
    if (!connectionBroken(e)) {
      return translate(e, url); // the gateway's answer: the connection is fine
    }
    // The statement was sent: it may have run (a CALL may have started a run). Not sent again.
    if (ConnectFailure.timedOut(e)) {
      login.drop(); // a hung gateway would not answer the goodbye either
      LOG.warn("The gateway did not answer {}'s statement within {} s; connection dropped, not sent again: {}", login.user,
          readTimeout.toSeconds(), firstLine(e.getMessage()));
      return new GatewayException(readTimedOut());
    }
    login.disconnect();
    LOG.warn("The gateway connection of {} broke while a statement ran; not sent again: {}", login.user,
        firstLine(e.getMessage()));
    return new GatewayException("The connection to the gateway at " + url + " broke while the statement ran, so it "
        + "may have run; it is not sent again (check its result, e.g. on the run's page, before repeating it)");
  }

  /**
   * The gateway's refusal of a statement on a session it does not know (it ended it): Hive's
   * session lookup, which comes before the statement is even parsed. Later steps of a statement
   * that ran name its operation handle instead, so this never stands for a statement that ran.
   */
  static boolean sessionUnknown(SQLException e) {
    return firstLine(e.getMessage()).startsWith("Invalid SessionHandle") && !connectionBroken(e);
  }

  /**
   * The login's connection, checked before a statement goes out on it; a new one when it has
   * none or the check fails (nothing of the statement was sent, so sending it on the new one is
   * safe). The caller holds the login's lock.
   */
  private Connection liveConnection(Login login) {
    Connection kept = login.connection;
    if (kept != null) {
      boolean alive;
      try {
        // The check's thread still owns the transport if it times out: it closes the connection once it let go.
        alive = within(connectTimeout, () -> alive(kept), late -> closeQuietly(kept, login.user));
      } catch (TimeoutException e) {
        // A hung gateway: nothing of the statement was sent; no new connection either (it would hang as well).
        LOG.warn("The gateway did not answer the connection check of {} within {} s: connection dropped", login.user,
            connectTimeout.toSeconds());
        login.forget();
        throw new GatewayException(connectTimedOut());
      } catch (SQLException e) {
        alive = false; // alive() reports a failure as false
      }
      if (alive) {
        return kept;
      }
      LOG.info("The gateway connection of {} is broken (gateway restarted?): opening a new one", login.user);
      login.disconnect();
    }
    Connection c;
    try {
      c = within(connectTimeout, () -> opener.open(login.user, login.password), late -> closeQuietly(late, login.user));
    } catch (TimeoutException e) {
      LOG.warn("The gateway did not open a connection for {} within {} s", login.user, connectTimeout.toSeconds());
      throw new GatewayException(connectTimedOut());
    } catch (SQLException e) {
      throw openFailure(e, login);
    }
    login.connection = c;
    login.onDisconnect = () -> connected.remove(login);
    connected.add(login);
    return c;
  }

  /** Work whose wait is bounded (the driver cannot bound it): runs in the background and is waited for at most {@code limit}. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * A thread of {@link #BACKGROUND}, with this class's loader as its context class loader. A new
   * thread would otherwise inherit the context loader of whichever thread made it, a request
   * thread whose loader is its web application's; the pool outlives that application (a second
   * UI in one JVM, closed again), and the driver resolving classes through a stopped
   * application's loader logged and retried without end: a login that never came back.
   */
  static Thread backgroundThread(Runnable r) {
    Thread t = new Thread(r, "gateway-connection");
    t.setDaemon(true);
    t.setContextClassLoader(GatewayClient.class.getClassLoader());
    return t;
  }

  /**
   * Runs {@code work} in the background and waits at most {@code limit}; on a timeout the work
   * goes on and {@code lateResult} gets what it returns, if it ever does (to close a connection
   * opened too late).
   */
  private static <T> T within(Duration limit, Work<T> work, java.util.function.Consumer<T> lateResult)
      throws TimeoutException, SQLException {
    CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> {
      try {
        return work.run();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, BACKGROUND);
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.thenAccept(lateResult);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.thenAccept(lateResult);
      throw new GatewayException("Interrupted while waiting for the gateway");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException s) {
        throw s;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new GatewayException(String.valueOf(cause));
    }
  }

  /** Why a connection could not be opened, said for a person: unreachable, timed out, login refused, or the driver's line. */
  private GatewayException openFailure(SQLException e, Login login) {
    return switch (ConnectFailure.of(e)) {
      case UNREACHABLE -> new GatewayException(notReachable());
      case TIMED_OUT -> new GatewayException(connectTimedOut());
      case LOGIN_REFUSED -> new GatewayException(loginRefused(login.user, ConnectFailure.refusalReason(e).orElse("")));
      case OTHER -> translate(e, url);
    };
  }

  String notReachable() {
    return notReachable(url);
  }

  private static String notReachable(String url) {
    return "The gateway at " + url + " is not reachable (is ./run_gateway.sh running?)";
  }

  String connectTimedOut() {
    return "The gateway at " + url + " did not answer within " + span(connectTimeout) + " (hung or overloaded?); "
        + "nothing was sent, the connection is dropped (featurelake.ui.gateway-connect-timeout-seconds)";
  }

  String readTimedOut() {
    return "The gateway at " + url + " did not answer within " + span(readTimeout) + " while the statement ran, "
        + "so it may have run; the connection is dropped and the statement is not sent again (check its result, e.g. on "
        + "the run's page, before repeating it; featurelake.ui.gateway-read-timeout-seconds)";
  }

  String loginRefused(String user, String reason) {
    return "The gateway at " + url + " refused the login of " + user + ": " + reason
        + " (a wrong password, or an unknown or disabled user; log in again or ask an admin)";
  }

  private static String span(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static boolean alive(Connection c) {
    try {
      return c.isValid(PROBE_TIMEOUT_SECONDS);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection c, String user) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("Closing the gateway connection of {}: {}", user, e.toString()); // a broken one often cannot say goodbye
    }
  }

  private static QueryResult run(Connection c, String sql, int maxRows, long t0) throws SQLException {
    try (Statement st = c.createStatement()) {
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
    }
  }

  /**
   * Whether a failure broke the connection rather than being the gateway's answer: hive-jdbc
   * wraps a Thrift failure (a socket error, a lost frame) in an SQLException (SQLSTATE 08S01) with
   * the Thrift exception as its cause, while the gateway's own refusals and errors arrive as
   * plain SQLExceptions without one. After a Thrift failure the stream's position is lost for good.
   */
  static boolean connectionBroken(SQLException e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
      String type = t.getClass().getName();
      if (t instanceof IOException || type.contains(".thrift.")) {
        return true;
      }
    }
    return false;
  }

  /** Closes every connection still open (the UI shuts down). */
  @Override
  public void close() {
    for (Login login : List.copyOf(connected)) {
      login.close();
    }
  }

  private static Driver driver(AtomicReference<Driver> driver, Path driverJar) {
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

  /**
   * The gateway's answer to a statement, which it already sends as one line. (Failures to open a
   * connection are told apart by {@link ConnectFailure}: "could not open client transport" is also
   * what a refused login looks like, so it does not mean "not reachable" by itself.)
   */
  static GatewayException translate(SQLException e, String url) {
    String message = firstLine(e.getMessage());
    if (message.contains("Connection refused") || message.contains("Socket is closed")) {
      return new GatewayException(notReachable(url));
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
