package io.featurelake.webui.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the client reuses, replaces and retries a connection, against a hand-written fake
 * connection (the real driver and gateway are in GatewayConnectionIT): a statement is sent again
 * only when nothing of it went out, never after it may have run.
 */
class GatewayClientTest {

  private static final String URL = "jdbc:hive2://127.0.0.1:10000/";
  private static final String NOT_REACHABLE = "The gateway at " + URL + " is not reachable (is ./run_gateway.sh running?)";

  /** A gateway seen through fake connections: what was opened and what each one was sent. */
  private static final class FakeGateway {
    final List<FakeConnection> opened = new CopyOnWriteArrayList<>(); // opened on the client's background threads
    boolean down;
    SQLException newConnectionsFailWith;
    SQLException refuseLoginsWith;
    CountDownLatch hangOpens;

    Connection open(String user, char[] password) throws SQLException {
      if (hangOpens != null) {
        awaitQuietly(hangOpens); // accepts the TCP connection and says nothing
      }
      if (refuseLoginsWith != null) {
        throw refuseLoginsWith;
      }
      if (down) {
        throw new SQLException("Could not open client transport with JDBC Uri: " + URL + ": java.net.ConnectException: "
            + "Connection refused", "08S01", new ConnectException("Connection refused"));
      }
      FakeConnection c = new FakeConnection(user);
      c.nextFailure = newConnectionsFailWith;
      opened.add(c);
      return c.proxy();
    }

    List<String> sent() {
      return opened.stream().flatMap(c -> c.executed.stream()).toList();
    }
  }

  private static final class FakeConnection {
    final String user;
    final List<String> executed = new ArrayList<>();
    boolean valid = true;
    volatile boolean closed;
    CountDownLatch hangChecks;
    SQLException nextFailure;
    CountDownLatch runningNow;
    CountDownLatch mayFinish;

    FakeConnection(String user) {
      this.user = user;
    }

    Connection proxy() {
      InvocationHandler handler = (p, method, args) -> switch (method.getName()) {
        case "isValid" -> {
          if (hangChecks != null) {
            awaitQuietly(hangChecks);
          }
          yield valid && !closed;
        }
        case "close" -> {
          closed = true;
          yield null;
        }
        case "isClosed" -> closed;
        case "createStatement" -> statement();
        default -> throw new UnsupportedOperationException(method.getName());
      };
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private Statement statement() {
      InvocationHandler handler = (p, method, args) -> switch (method.getName()) {
        case "setMaxRows", "close" -> null;
        case "execute" -> {
          if (closed) {
            throw new SQLException("closed connection used");
          }
          executed.add((String) args[0]);
          if (runningNow != null) {
            runningNow.countDown();
            mayFinish.await(10, TimeUnit.SECONDS);
          }
          SQLException failure = nextFailure;
          nextFailure = null;
          if (failure != null) {
            throw failure;
          }
          yield false; // no result set: an empty result
        }
        default -> throw new UnsupportedOperationException(method.getName());
      };
      return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class}, handler);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final FakeGateway gateway = new FakeGateway();
  private final GatewayClient client = new GatewayClient(URL, gateway::open);

  private static GatewayClient.Login login(String user) {
    return new GatewayClient.Login(user, (user + "-secret").toCharArray());
  }

  /** What hive-jdbc throws when the Thrift transport fails under a statement (e.g. the gateway died). */
  private static SQLException transportFailure() {
    return new SQLException("org.apache.thrift.transport.TTransportException: java.net.SocketException: Connection reset",
        "08S01", new SocketException("Connection reset"));
  }

  @Test
  void aBackgroundThreadDoesNotTakeTheContextClassLoaderOfTheThreadThatMadeIt() throws Exception {
    // A request thread's context loader is its web application's, which is stopped when that UI closes.
    try (URLClassLoader webapp = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
      Thread requestThread = Thread.currentThread();
      ClassLoader before = requestThread.getContextClassLoader();
      requestThread.setContextClassLoader(webapp);
      try {
        Thread background = GatewayClient.backgroundThread(() -> {});
        assertThat(background.getContextClassLoader()).isSameAs(GatewayClient.class.getClassLoader()).isNotSameAs(webapp);
        assertThat(background.isDaemon()).isTrue();
      } finally {
        requestThread.setContextClassLoader(before);
      }
    }
  }

  @Test
  void theStatementsOfOneLoginShareOneConnection() {
    GatewayClient.Login ada = login("ada");
    client.query("CALL lake.platform.list_runs()", 10, ada);
    client.query("SELECT 1", 10, ada);

    assertThat(gateway.opened).hasSize(1);
    assertThat(gateway.opened.get(0).executed).containsExactly("CALL lake.platform.list_runs()", "SELECT 1");
    assertThat(client.connectedUsers()).containsExactly("ada");
  }

  @Test
  void twoLoginsOfOneUserNeverShareAConnection() {
    GatewayClient.Login first = new GatewayClient.Login("os-user", null);
    GatewayClient.Login second = new GatewayClient.Login("os-user", null);
    client.query("SELECT 1", 10, first);
    client.query("SELECT 2", 10, second);

    assertThat(gateway.opened).hasSize(2);
    assertThat(gateway.opened.get(0).executed).containsExactly("SELECT 1");
    assertThat(gateway.opened.get(1).executed).containsExactly("SELECT 2");
    assertThat(client.connectedUsers()).containsExactly("os-user", "os-user");
  }

  @Test
  void aConnectionThatFailsTheCheckBeforeAStatementIsReplacedAndTheStatementSentOnce() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    FakeConnection stale = gateway.opened.get(0);
    stale.valid = false; // the gateway restarted: its end of the connection is gone

    client.query("CALL lake.platform.publish(run_id => 7)", 10, ada);

    assertThat(gateway.opened).hasSize(2);
    assertThat(stale.closed).isTrue();
    assertThat(stale.executed).containsExactly("SELECT 1");
    assertThat(gateway.opened.get(1).executed).containsExactly("CALL lake.platform.publish(run_id => 7)");
    assertThat(client.connectedUsers()).containsExactly("ada");
  }

  @Test
  void aCallWhoseConnectionBrokeWhileItRanIsNotSentAgain() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    FakeConnection c = gateway.opened.get(0);
    c.nextFailure = transportFailure();

    assertThatThrownBy(() -> client.query("CALL lake.platform.publish(run_id => 7)", 10, ada))
        .isInstanceOf(GatewayException.class)
        .hasMessage("The connection to the gateway at " + URL + " broke while the statement ran, so it may have run; "
            + "it is not sent again (check its result, e.g. on the run's page, before repeating it)");

    assertThat(gateway.sent()).containsExactly("SELECT 1", "CALL lake.platform.publish(run_id => 7)");
    assertThat(c.closed).isTrue();
    assertThat(client.connectedUsers()).isEmpty();
    // The next action opens a new connection.
    client.query("SELECT 2", 10, ada);
    assertThat(gateway.opened).hasSize(2);
    assertThat(gateway.opened.get(1).executed).containsExactly("SELECT 2");
  }

  @Test
  void aStatementTheGatewayRefusedForAnUnknownSessionGoesOnceMoreOnANewConnection() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    FakeConnection ended = gateway.opened.get(0);
    ended.nextFailure = new SQLException("Invalid SessionHandle: SessionHandle [4f1c7c4e-0d7e-4a53-9d1e-0cbe3b2a8e11]");

    client.query("CALL lake.platform.publish(run_id => 7)", 10, ada);

    assertThat(ended.closed).isTrue();
    assertThat(gateway.opened).hasSize(2);
    assertThat(gateway.opened.get(1).executed).containsExactly("CALL lake.platform.publish(run_id => 7)");

    // Refused on the new connection too: shown as the gateway said it, not sent a third time.
    gateway.opened.get(1).nextFailure = new SQLException("Invalid SessionHandle: SessionHandle [a]");
    gateway.newConnectionsFailWith = new SQLException("Invalid SessionHandle: SessionHandle [b]");
    assertThatThrownBy(() -> client.query("SELECT 2", 10, ada)).hasMessage("Invalid SessionHandle: SessionHandle [b]");
    assertThat(gateway.sent()).filteredOn("SELECT 2"::equals).hasSize(2);
  }

  @Test
  void theGatewaysOwnErrorKeepsTheConnectionAndIsNotRetried() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    gateway.opened.get(0).nextFailure = new SQLException(
        "Error running query: [TABLE_OR_VIEW_NOT_FOUND] The table or view `lake`.`features`.`nope` cannot be found.", "42P01");

    assertThatThrownBy(() -> client.query("SELECT * FROM lake.features.nope", 10, ada))
        .hasMessage("[TABLE_OR_VIEW_NOT_FOUND] The table or view `lake`.`features`.`nope` cannot be found.");
    client.query("SELECT 2", 10, ada);

    assertThat(gateway.opened).hasSize(1);
    assertThat(gateway.opened.get(0).closed).isFalse();
    assertThat(gateway.sent()).containsExactly("SELECT 1", "SELECT * FROM lake.features.nope", "SELECT 2");
  }

  @Test
  void aGatewayThatIsDownGetsTheNotReachableLineAndIsSentNothing() {
    GatewayClient.Login ada = login("ada");
    gateway.down = true;
    assertThatThrownBy(() -> client.query("SELECT 1", 10, ada)).hasMessage(NOT_REACHABLE);

    gateway.down = false;
    client.query("SELECT 1", 10, ada);
    FakeConnection kept = gateway.opened.get(0);
    kept.valid = false;
    gateway.down = true; // stopped, not restarted: the check fails, and so does the one new connection
    assertThatThrownBy(() -> client.query("CALL lake.platform.publish(run_id => 7)", 10, ada)).hasMessage(NOT_REACHABLE);

    assertThat(gateway.sent()).containsExactly("SELECT 1");
    assertThat(kept.closed).isTrue();
    assertThat(client.connectedUsers()).isEmpty();
  }

  @Test
  void aClosedLoginClosesItsConnectionAndRunsNothingMore() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    ada.close();

    assertThat(gateway.opened.get(0).closed).isTrue();
    assertThat(ada.connected()).isFalse();
    assertThat(client.connectedUsers()).isEmpty();
    assertThatThrownBy(() -> client.query("SELECT 2", 10, ada))
        .hasMessage("This session's connection to the gateway is closed (logged out?); log in again");
    assertThat(gateway.opened).hasSize(1);
  }

  @Test
  void aLoginClosedWhileItsStatementRunsClosesTheConnectionWhenTheStatementEnds() throws Exception {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    FakeConnection c = gateway.opened.get(0);
    c.runningNow = new CountDownLatch(1);
    c.mayFinish = new CountDownLatch(1);
    CompletableFuture<QueryResult> running = CompletableFuture.supplyAsync(() -> client.query("SELECT 2", 10, ada));
    assertThat(c.runningNow.await(10, TimeUnit.SECONDS)).isTrue();

    ada.close(); // returns at once: the transport belongs to the running statement
    assertThat(c.closed).isFalse();
    c.mayFinish.countDown();
    running.get(10, TimeUnit.SECONDS);

    assertThat(c.closed).isTrue();
    assertThat(client.connectedUsers()).isEmpty();
  }

  @Test
  void closingTheClientClosesEveryConnection() {
    GatewayClient.Login ada = login("ada");
    GatewayClient.Login rita = login("rita");
    client.query("SELECT 1", 10, ada);
    client.query("SELECT 1", 10, rita);

    client.close();

    assertThat(gateway.opened).allSatisfy(c -> assertThat(c.closed).isTrue());
    assertThat(client.connectedUsers()).isEmpty();
  }

  @Test
  void onlyAThriftOrSocketFailureCountsAsABrokenConnection() {
    assertThat(GatewayClient.connectionBroken(transportFailure())).isTrue();
    assertThat(GatewayClient.connectionBroken(new SQLException("Failed to wait for operation to complete", "08S01",
        new SQLException("wrapped", new SocketException("Broken pipe"))))).isTrue();
    assertThat(GatewayClient.connectionBroken(new SQLException("[PERMISSION_DENIED] user 'rita' (role reader) may not "
        + "call lake.platform.publish; it needs role publisher or admin", "42501"))).isFalse();
    assertThat(GatewayClient.connectionBroken(new SQLException("[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'",
        "42601"))).isFalse();
  }

  @Test
  void aRefusedLoginSaysSoWithTheGatewaysReasonNotThatTheGatewayIsUnreachable() {
    GatewayClient.Login ada = login("ada");
    gateway.refuseLoginsWith = ConnectFailureTest.wrongPassword();

    assertThatThrownBy(() -> client.query("SELECT 1", 10, ada)).isInstanceOf(GatewayException.class)
        .hasMessage("The gateway at " + URL + " refused the login of ada: Error validating the login (a wrong password, "
            + "or an unknown or disabled user; log in again or ask an admin)");
    assertThat(gateway.sent()).isEmpty();
    assertThat(client.connectedUsers()).isEmpty();
  }

  @Test
  void aGatewayThatNeverAnswersTheLoginTimesOutWithinTheConnectTimeout() {
    GatewayClient impatient = new GatewayClient(URL, gateway::open, Duration.ofMillis(300), Duration.ofSeconds(60));
    GatewayClient.Login ada = login("ada");
    gateway.hangOpens = new CountDownLatch(1);
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> impatient.query("SELECT 1", 10, ada))
        .hasMessage("The gateway at " + URL + " did not answer within 300 ms (hung or overloaded?); nothing was sent, the "
            + "connection is dropped (featurelake.ui.gateway-connect-timeout-seconds)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

    // The open that answers late is closed, not kept.
    gateway.hangOpens.countDown();
    await(() -> gateway.opened.size() == 1 && gateway.opened.get(0).closed);
    assertThat(impatient.connectedUsers()).isEmpty();
    assertThat(gateway.sent()).isEmpty();
  }

  @Test
  void aKeptConnectionWhoseCheckHangsIsDroppedAndTheStatementNotSent() {
    GatewayClient impatient = new GatewayClient(URL, gateway::open, Duration.ofMillis(300), Duration.ofSeconds(60));
    GatewayClient.Login ada = login("ada");
    impatient.query("SELECT 1", 10, ada);
    FakeConnection kept = gateway.opened.get(0);
    kept.hangChecks = new CountDownLatch(1); // SIGSTOP

    assertThatThrownBy(() -> impatient.query("CALL lake.platform.publish(run_id => 7)", 10, ada))
        .hasMessageContaining("did not answer within 300 ms (hung or overloaded?); nothing was sent");
    assertThat(impatient.connectedUsers()).isEmpty();
    assertThat(gateway.opened).hasSize(1); // no new connection to a hung gateway
    kept.hangChecks.countDown();
    await(() -> kept.closed);
    assertThat(gateway.sent()).containsExactly("SELECT 1");
  }

  @Test
  void aStatementWhoseReplyTimedOutIsReportedAsMayHaveRunAndNotSentAgain() {
    GatewayClient.Login ada = login("ada");
    client.query("SELECT 1", 10, ada);
    FakeConnection c = gateway.opened.get(0);
    c.nextFailure = new SQLException("Failed to wait for operation to complete", "08S01",
        new SocketTimeoutException("Read timed out"));

    assertThatThrownBy(() -> client.query("CALL lake.platform.publish(run_id => 7)", 10, ada))
        .hasMessage("The gateway at " + URL + " did not answer within 900 s while the statement ran, so it may have run; "
            + "the connection is dropped and the statement is not sent again (check its result, e.g. on the run's page, "
            + "before repeating it; featurelake.ui.gateway-read-timeout-seconds)");
    await(() -> c.closed);
    assertThat(client.connectedUsers()).isEmpty();
    assertThat(gateway.sent()).containsExactly("SELECT 1", "CALL lake.platform.publish(run_id => 7)");
  }

  @Test
  void theReadTimeoutGoesToTheDriverAsASessionVariable() {
    assertThat(GatewayClient.withSessionVariable(URL, "socketTimeout", "900000"))
        .isEqualTo("jdbc:hive2://127.0.0.1:10000/;socketTimeout=900000");
    assertThat(GatewayClient.withSessionVariable("jdbc:hive2://h:1/db;ssl=true?hive.a=b", "socketTimeout", "5"))
        .isEqualTo("jdbc:hive2://h:1/db;ssl=true;socketTimeout=5?hive.a=b");
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
