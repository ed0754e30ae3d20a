package io.featurelake.gateway.server;

import static io.featurelake.gateway.testing.JdbcRows.execute;
import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.sql.LocalSql;
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.JdbcRows;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./run_gateway.sh} as a new user runs it: prints the JDBC URL when ready, serves, shares
 * the embedded catalog with a second Spark JVM, and stops cleanly on SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunGatewayScriptIT {

  private static final Pattern READY = Pattern.compile("featurelake gateway ready in ([0-9.]+) s: (jdbc:hive2://\\S+)");

  private Path home;
  private int port;
  private Process gateway;
  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private String url;
  private Thread pump;

  @BeforeAll
  void startScript() throws Exception {
    home = Files.createTempDirectory("featurelake-script-it-");
    port = TestPorts.free();
    Path root = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath();
    ProcessBuilder pb = new ProcessBuilder("./run_gateway.sh").directory(root.toFile()).redirectErrorStream(true);
    pb.environment().putAll(TestConfigs.environment(home, port));
    pb.environment().put("FEATURELAKE_SKIP_BUILD", "1");
    pb.environment().put("FEATURELAKE_HEAP", "1g");
    gateway = pb.start();
    pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.add(line);
        }
      } catch (IOException ignored) {
        // process ended
      }
    }, "gateway-output");
    pump.setDaemon(true);
    pump.start();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    StringBuilder seen = new StringBuilder();
    while (url == null && System.nanoTime() < deadline) {
      String line = output.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.append(line).append('\n');
        Matcher m = READY.matcher(line);
        if (m.find()) {
          url = m.group(2);
        }
      }
      if (!gateway.isAlive() && output.isEmpty()) {
        break;
      }
    }
    assertThat(url).as("ready line in:\n%s", seen).isEqualTo("jdbc:hive2://127.0.0.1:" + port + "/");
  }

  @AfterAll
  void killIfStillRunning() {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroyForcibly();
    }
  }

  @Test
  @Order(1)
  void printedUrlAcceptsConnections() throws Exception {
    try (Connection c = HiveJdbc.connect(url)) {
      execute(c, "CREATE TABLE lake.demo.shared (id BIGINT, source STRING) USING iceberg");
      execute(c, "INSERT INTO lake.demo.shared VALUES (0, 'gateway')");
      assertThat(query(c, "SELECT count(*) AS n FROM lake.demo.shared")).containsExactly(Map.of("n", 1L));
    }
    assertThat(home.resolve("logs/gateway.log")).isRegularFile();
  }

  @Test
  @Order(2)
  void aSecondSparkJvmCommitsToTheSameEmbeddedCatalogAtTheSameTime() throws Exception {
    int localStatements = 8;
    String[] statements = new String[localStatements + 1];
    statements[0] = "CREATE TABLE lake.demo.from_local_jvm (id BIGINT) USING iceberg";
    for (int i = 1; i <= localStatements; i++) {
      statements[i] = "INSERT INTO lake.demo.shared SELECT id, 'local' FROM range(" + (i * 1000) + ", " + (i * 1000 + 100) + ")";
    }
    Process local = ChildJvm.start(LocalSql.class, TestConfigs.environment(home, port), home, statements);

    int gatewayInserts = 0;
    try (Connection c = HiveJdbc.connect(url)) {
      // Keep committing through the gateway while the other JVM commits to the same table.
      while (local.isAlive() && gatewayInserts < 200) {
        gatewayInserts++;
        execute(c, "INSERT INTO lake.demo.shared VALUES (" + (-gatewayInserts) + ", 'gateway')");
        Thread.sleep(50);
      }
      String localOutput = new String(local.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(local.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(local.exitValue()).as(localOutput).isZero();

      assertThat(query(c, "SELECT source, count(*) AS n, count(DISTINCT id) AS ids FROM lake.demo.shared GROUP BY source ORDER BY source"))
          .containsExactly(
              Map.of("source", "gateway", "n", 1L + gatewayInserts, "ids", 1L + gatewayInserts),
              Map.of("source", "local", "n", 100L * localStatements, "ids", 100L * localStatements));
      assertThat(JdbcRows.read(c.getMetaData().getTables(null, "demo", "from_local_jvm", null))).hasSize(1);
    }
    assertThat(gatewayInserts).isPositive();
  }

  @Test
  @Order(2)
  void aMegabyteArgumentFailsInOneLineAndAddsLittleToTheLog() throws Exception {
    Path log = home.resolve("logs/gateway.log");
    long before = Files.size(log);
    String huge = "x".repeat(1 << 20);
    try (Connection c = HiveJdbc.connect(url)) {
      assertThatThrownBy(() -> execute(c, "CALL lake.platform.online_status(feature_view => '" + huge + "')"))
          .satisfies(e -> assertThat(e.getMessage()).startsWith("[INVALID_PROCEDURE_ARGUMENT] feature_view must be a lower-case name like 'user_activity_daily', got 'xxx").hasSizeLessThan(1100));
    }
    // Spark's "Submitting query", its ERROR with the trace, our one line: each bounded, not 1 MB each.
    long grown = Files.size(log) - before;
    System.out.printf("a 1 MB argument added %,d bytes to gateway.log%n", grown);
    assertThat(grown).isLessThan(200_000);
  }

  @Test
  @Order(3)
  void sigtermStopsTheGatewayCleanly() throws Exception {
    gateway.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
    pump.join(10_000); // the rest of its output
    StringBuilder rest = new StringBuilder();
    output.forEach(l -> rest.append(l).append('\n'));
    assertThat(rest.toString()).contains("featurelake gateway: stopped");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      throw new AssertionError("port " + port + " still accepts connections after SIGTERM");
    } catch (IOException expected) {
      // closed, as it should be
    }
  }
}
