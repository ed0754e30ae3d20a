package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway that takes the TCP connection and then says nothing (a socket of this test that
 * accepts and stays silent) gives a UI action the timeout line within the configured connect
 * timeout instead of hanging; a statement that runs past the read timeout on the real gateway is
 * cut off with the "may have run" line and the next action works on a new connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayHungIT {

  private UiLake lake;
  private ServerSocket silent;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ConfigurableApplicationContext hungUi;
  private ConfigurableApplicationContext impatientUi;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.shared();
    silent = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          accepted.add(silent.accept()); // kept open, never read or written
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-gateway");
    acceptor.setDaemon(true);
    acceptor.start();
    hungUi = lake.startAnotherUi(Map.of("featurelake.gateway.port", String.valueOf(silent.getLocalPort()),
        "featurelake.ui.gateway-connect-timeout-seconds", "3"));
    impatientUi = lake.startAnotherUi(Map.of("featurelake.ui.gateway-read-timeout-seconds", "3"));
  }

  @AfterAll
  void stop() throws IOException {
    for (ConfigurableApplicationContext ui : new ConfigurableApplicationContext[] {hungUi, impatientUi}) {
      if (ui != null) {
        ui.close();
      }
    }
    if (silent != null) {
      silent.close();
    }
    for (Socket s : accepted) {
      s.close();
    }
  }

  private static String console(Browser b, String sqlEncoded) {
    b.open("console?sql=" + sqlEncoded);
    b.click("#console-run");
    return b.find("#console-status").getText();
  }

  @Test
  void aGatewayThatAcceptsButNeverAnswersGivesTheTimeoutLineWithinTheConnectTimeout() throws Exception {
    String url = "jdbc:hive2://127.0.0.1:" + silent.getLocalPort() + "/";
    String timedOut = "The gateway at " + url + " did not answer within 3 s (hung or overloaded?); nothing was sent, the "
        + "connection is dropped (featurelake.ui.gateway-connect-timeout-seconds)";
    try (Browser b = new Browser(UiLake.uiUrl(hungUi))) {
      for (int attempt = 0; attempt < 2; attempt++) { // and again: nothing is left hanging
        long t0 = System.nanoTime();
        assertThat(console(b, "SELECT%201")).isEqualTo(timedOut);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(12));
      }
      assertThat(accepted).isNotEmpty(); // it did reach the silent socket
    }
  }

  @Test
  void aStatementPastTheReadTimeoutIsCutOffAsMayHaveRunAndTheNextActionReconnects() throws Exception {
    try (Browser b = new Browser(UiLake.uiUrl(impatientUi))) {
      assertThat(console(b, "SELECT%201%20AS%20one")).startsWith("1 row in");
      long t0 = System.nanoTime();
      String status = console(b, "SELECT%20reflect('java.lang.Thread'%2C%20'sleep'%2C%2015000L)");
      assertThat(status).isEqualTo("The gateway at " + lake.jdbcUrl() + " did not answer within 3 s while the statement "
          + "ran, so it may have run; the connection is dropped and the statement is not sent again (check its result, e.g. "
          + "on the run's page, before repeating it; featurelake.ui.gateway-read-timeout-seconds)");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(14));
      assertThat(console(b, "SELECT%202%20AS%20two")).startsWith("1 row in");
    }
  }
}
