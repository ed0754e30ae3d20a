package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.UserRepository;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One gateway connection per UI session, against the gateway with passwords in headless
 * Chromium: a session's actions cost the gateway one login (its log has a line per login) and
 * share one Spark session; logout closes the connection (its TCP connection is gone); after the
 * gateway restarts, the next action reconnects, and while it is down the action says so; a login
 * the gateway refuses is shown as refused, with its reason, not as a gateway that is not there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayConnectionIT {

  private static final Map<String, String> PASSWORDS = Map.of("FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
  private static final String USER = "ivy";
  private static final String PASSWORD = "ivy-connection-secret-1";

  private UiLake lake;
  private ConfigurableApplicationContext ui;
  private String url;
  private GatewayClient gateway;
  private int gatewayPort;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.sharedWithAnyGateway();
    lake.stopGateway();
    if (new UserRepository(lake.bean(PlatformCore.class).database()).find(USER).isEmpty()) {
      lake.script(Map.of("FEATURELAKE_NEW_USER_PASSWORD", PASSWORD), 0, "run_gateway.sh", "--add-user", USER, "--role", "reader");
    }
    lake.restartGateway(PASSWORDS);
    ui = lake.startAnotherUi(Map.of("featurelake.ui.login", "password"));
    url = UiLake.uiUrl(ui);
    gateway = ui.getBean(GatewayClient.class);
    gatewayPort = URI.create(lake.jdbcUrl().substring("jdbc:".length())).getPort();
    warmUpGateway();
  }

  /** A fresh gateway's first session is slow to open and close (Hive's metastore starts): not in a browser's wait. */
  private void warmUpGateway() {
    try (GatewayClient.Login login = new GatewayClient.Login(USER, PASSWORD.toCharArray())) {
      gateway.query("SELECT 1", 1, login);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
    // The gateway keeps its passwords: the next class that needs the plain one restarts it (UiLake.shared()).
  }

  private Browser loggedIn() throws Exception {
    Browser b = new Browser(url);
    b.open("login");
    WebElement name = b.find("#login-form vaadin-text-field[name=username] input");
    name.sendKeys(USER);
    b.find("#login-form vaadin-password-field[name=password] input").sendKeys(PASSWORD, Keys.ENTER);
    b.waitForVaadin();
    b.waitForText(USER + " · reader", Duration.ofSeconds(30));
    return b;
  }

  /** Runs a statement in the SQL console; returns the console's status line. */
  private static String console(Browser b, String sql) {
    b.open("console?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20"));
    b.click("#console-run");
    return b.find("#console-status").getText();
  }

  /** Logins of the test's user at the gateway: PasswordLogin logs one line per accepted login. */
  private long gatewayLogins() throws IOException {
    Path log = lake.gatewayLog();
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("Login accepted for '" + USER + "'")).count();
    }
  }

  /** Established TCP connections to the gateway's port, as the kernel lists them (client ends only). */
  private long gatewayTcpConnections() throws IOException {
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+"); // sl, local address, remote address, state (01: established), ...
        String remote = f[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == gatewayPort && f[3].equals("01")) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void aSessionsActionsCostOneGatewayLoginAndLogoutClosesItsConnection() throws Exception {
    long loginsBefore = gatewayLogins();
    long tcpBefore = gatewayTcpConnections();
    long connectedBefore = connections();
    try (Browser b = loggedIn()) {
      assertThat(gatewayLogins()).isEqualTo(loginsBefore); // the UI checks the password itself; the gateway is not asked yet

      assertThat(console(b, "SET featurelake.test.marker=kept")).startsWith("1 row in");
      assertThat(console(b, "CALL lake.platform.list_runs()")).containsPattern("^\\d+ rows? in");
      assertThat(console(b, "SET featurelake.test.marker")).startsWith("1 row in");
      // The third statement saw the first one's setting: one Spark session, so one connection.
      assertThat(b.gridCells()).contains("kept");
      assertThat(gatewayLogins()).isEqualTo(loginsBefore + 1);
      assertThat(connections()).isEqualTo(connectedBefore + 1);
      assertThat(gatewayTcpConnections()).isEqualTo(tcpBefore + 1);

      logOut(b);
      assertThat(connections()).isEqualTo(connectedBefore);
      assertThat(gatewayTcpConnections()).isEqualTo(tcpBefore);
    }
  }

  /** The UI's open connections as the test's user (a browser that quits leaves its session open: log out). */
  private long connections() {
    return gateway.connectedUsers().stream().filter(USER::equals).count();
  }

  private static void logOut(Browser b) {
    b.click("#fl-logout");
    b.waitForText("You are logged out.", Duration.ofSeconds(30));
  }

  @Test
  void theNextActionAfterTheGatewayRestartedReconnectsAndADownGatewayIsNamed() throws Exception {
    long connectedBefore = connections();
    try (Browser b = loggedIn()) {
      assertThat(console(b, "SELECT 1 AS one")).startsWith("1 row in");

      lake.restartGateway(PASSWORDS);
      warmUpGateway();
      long loginsBefore = gatewayLogins();
      assertThat(console(b, "SELECT 2 AS two")).startsWith("1 row in");
      assertThat(b.gridCells()).contains("2");
      assertThat(gatewayLogins()).isEqualTo(loginsBefore + 1);
      assertThat(connections()).isEqualTo(connectedBefore + 1);

      lake.stopGateway();
      assertThat(console(b, "SELECT 3 AS three"))
          .isEqualTo("The gateway at " + lake.jdbcUrl() + " is not reachable (is ./run_gateway.sh running?)");
      assertThat(connections()).isEqualTo(connectedBefore);

      lake.restartGateway(PASSWORDS);
      warmUpGateway();
      assertThat(console(b, "SELECT 4 AS four")).startsWith("1 row in");
      assertThat(gatewayLogins()).isEqualTo(loginsBefore + 3); // the warm-up's and the action's
      assertThat(connections()).isEqualTo(connectedBefore + 1);
      logOut(b);
    }
  }

  @Test
  void aLoginTheGatewayRefusesIsShownAsRefusedNotAsUnreachable() throws Exception {
    UserRepository users = new UserRepository(lake.bean(PlatformCore.class).database());
    String hash = users.credentials(USER).orElseThrow().passwordHash();
    try (Browser b = loggedIn()) {
      // The password changed since this session logged in: the session's password is now wrong at the gateway.
      users.setPasswordHash(USER, new PasswordHasher(1_000).hash("changed-elsewhere-1".toCharArray()));
      try {
        assertThat(console(b, "SELECT 1 AS one")).isEqualTo("The gateway at " + lake.jdbcUrl() + " refused the login of "
            + USER + ": Error validating the login (a wrong password, or an unknown or disabled user; log in again or ask "
            + "an admin)");
      } finally {
        users.setPasswordHash(USER, hash);
      }
      assertThat(console(b, "SELECT 2 AS two")).startsWith("1 row in");
      logOut(b);
    }
  }
}
