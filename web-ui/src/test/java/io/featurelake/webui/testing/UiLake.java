package io.featurelake.webui.testing;

import io.featurelake.webui.WebUiApplication;
import io.featurelake.webui.gateway.GatewayClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real lake for the UI's integration tests, built the way the README tells a new user: the
 * scripts backfill a week of demo data and a shifted (failing) run, a gateway runs as a child
 * process, and the UI runs in this JVM on a free port. Shared by every test class of the module
 * (failsafe runs them in one JVM) and torn down at exit.
 */
public final class UiLake {

  private static UiLake shared;

  private final Path root;
  private final Path home;
  private final int gatewayPort;
  private final String keyPrefix = "flui" + UUID.randomUUID().toString().substring(0, 6);
  private final Map<String, String> env = new HashMap<>();
  private final boolean reuse;
  private Process gateway;
  /** The settings the running gateway was started with beyond {@link #env} (empty: the plain gateway). */
  private Map<String, String> gatewaySettings = Map.of();
  private ConfigurableApplicationContext ui;
  private int uiPort;

  private UiLake() throws IOException {
    this.root = Path.of(System.getProperty("featurelake.test.project-root", "..")).toAbsolutePath().normalize();
    // For working on the UI: point the tests at a lake already backfilled, with its gateway running.
    String existing = System.getProperty("featurelake.test.existing-home");
    this.reuse = existing != null;
    this.home = reuse ? Path.of(existing) : Files.createTempDirectory("fl-ui-it");
    this.gatewayPort = reuse ? Integer.getInteger("featurelake.test.existing-gateway-port", 10000) : freePort();
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("FEATURELAKE_SPARK_MASTER", "local[2]");
    env.put("FEATURELAKE_ONLINE_KEY_PREFIX", reuse ? System.getProperty("featurelake.test.existing-key-prefix", "fl") : keyPrefix);
    env.put("FEATURELAKE_SKIP_BUILD", "1");
    env.put("FEATURELAKE_HEAP", "1g");
  }

  /**
   * The shared lake with its plain gateway (no passwords) running and warmed up. A class that
   * stopped the gateway or restarted it with other settings leaves it so; the next class that
   * needs the plain one gets it here, so no class restarts a gateway only for whoever comes next.
   */
  public static synchronized UiLake shared() throws Exception {
    UiLake lake = sharedWithAnyGateway();
    // With featurelake.test.existing-home the plain gateway is the user's own (gateway == null).
    if (lake.gateway == null ? !lake.reuse : !lake.gateway.isAlive() || !lake.gatewaySettings.isEmpty()) {
      lake.restartGateway(Map.of());
      lake.warmUp();
    }
    return lake;
  }

  /**
   * The shared lake with its gateway as the previous class left it (running or stopped, with or
   * without passwords): for a class that stops the gateway or restarts it with its own settings.
   */
  public static synchronized UiLake sharedWithAnyGateway() throws Exception {
    if (shared == null) {
      UiLake lake = new UiLake();
      Runtime.getRuntime().addShutdownHook(new Thread(lake::stop, "ui-lake-stop"));
      try {
        lake.start();
      } catch (Exception | Error e) {
        lake.stop();
        throw e;
      }
      shared = lake;
    }
    return shared;
  }

  private void start() throws Exception {
    if (reuse) {
      startUi();
      return;
    }
    Path jar = root.resolve("gateway/target");
    if (!Files.isDirectory(jar) || !Files.exists(jar.resolve("runtime-classpath.txt"))) {
      throw new IllegalStateException("The UI tests run the gateway's scripts: build the gateway first "
          + "(./mvnw -B -pl gateway -am package -DskipTests, or ./mvnw verify from the root)");
    }
    script(0, "run_backfill.sh", "--start_date", "2023-01-01", "--end_date", "2023-01-08");
    script(1, "run_backfill.sh", "--start_date", "2023-01-01", "--end_date", "2023-01-02", "--generate", "--mode", "shifted",
        "--feature_view", "user_activity_daily");
    script(0, "run_sync.sh");
    startGateway();
    startUi();
  }

  /** Runs one of the project's scripts with this lake's environment; checks its exit code. */
  public String script(int expectedExit, String name, String... args) throws Exception {
    return script(Map.of(), expectedExit, name, args);
  }

  /** Runs one of the project's scripts with this lake's environment plus {@code extraEnv}; checks its exit code. */
  public String script(Map<String, String> extraEnv, int expectedExit, String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve(name).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p));
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " did not finish in 10 minutes");
    }
    String text = out.get();
    if (p.exitValue() != expectedExit) {
      throw new IllegalStateException(name + " " + String.join(" ", args) + " exited " + p.exitValue() + ", expected "
          + expectedExit + ":\n" + text);
    }
    return text;
  }

  private void startGateway() throws Exception {
    startGateway(Map.of());
  }

  private void startGateway(Map<String, String> extraEnv) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(extraEnv);
    gateway = GatewayProcess.start(root, all);
    gatewaySettings = Map.copyOf(extraEnv);
  }

  private void startUi() {
    System.setProperty("featurelake.home", home.toString());
    System.setProperty("featurelake.gateway.port", String.valueOf(gatewayPort));
    System.setProperty("featurelake.online.key-prefix", env.get("FEATURELAKE_ONLINE_KEY_PREFIX"));
    System.setProperty("featurelake.ui.jdbc-driver", root.resolve("web-ui/target/jdbc-driver/hive-jdbc-standalone.jar").toString());
    System.setProperty("featurelake.ui.notebooks-dir", root.resolve("notebooks").toString());
    ui = SpringApplication.run(WebUiApplication.class, "--server.port=0");
    uiPort = ((WebServerApplicationContext) ui).getWebServer().getPort();
  }

  /** Stops the gateway (for the tests of the gateway-down banner) and waits until it is gone. */
  public void stopGateway() throws InterruptedException {
    if (gateway != null && gateway.isAlive()) {
      gateway.toHandle().destroy(); // SIGTERM: the gateway's shutdown hook stops the server
      if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
  }

  /** Stops the gateway and starts it again with more settings (e.g. password authentication). */
  public void restartGateway(Map<String, String> extraEnv) throws Exception {
    stopGateway();
    startGateway(extraEnv);
  }

  /**
   * A second web UI on this lake, in this JVM on its own free port, with more settings as JVM
   * system properties (read when it starts; the shared UI keeps its own). Close it after use.
   */
  public ConfigurableApplicationContext startAnotherUi(Map<String, String> settings) {
    Map<String, String> before = new HashMap<>();
    settings.keySet().forEach(k -> before.put(k, System.getProperty(k)));
    settings.forEach(System::setProperty);
    try {
      return SpringApplication.run(WebUiApplication.class, "--server.port=0");
    } finally {
      // Restored, not cleared: the shared UI's own settings (e.g. featurelake.gateway.port) are properties too.
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  public static String uiUrl(ConfigurableApplicationContext ui) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) ui).getWebServer().getPort() + "/";
  }

  public Path root() {
    return root;
  }

  public Path home() {
    return home;
  }

  /**
   * Opens and closes one session on a gateway without passwords: a fresh gateway's first session
   * takes long to close (Hive's metastore starts), which must not fall into a browser test's wait.
   */
  public void warmUp() {
    try (GatewayClient.Login login = new GatewayClient.Login(System.getProperty("user.name", "tester"), null)) {
      bean(GatewayClient.class).query("SELECT 1", 1, login);
    }
  }

  public String uiUrl() {
    return "http://127.0.0.1:" + uiPort + "/";
  }

  /** The gateway's log file (a login at the gateway is a line in it). */
  public Path gatewayLog() {
    return home.resolve("logs").resolve("gateway.log");
  }

  public String jdbcUrl() {
    return "jdbc:hive2://127.0.0.1:" + gatewayPort + "/";
  }

  public <T> T bean(Class<T> type) {
    return ui.getBean(type);
  }

  private void stop() {
    if (ui != null) {
      ui.close();
    }
    if (gateway != null && gateway.isAlive()) {
      gateway.toHandle().destroy();
      try {
        gateway.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gateway.destroyForcibly();
    }
  }

  private static String readAll(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output lost: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
