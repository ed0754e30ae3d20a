package io.featurelake.webui.bench;

import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.testing.GatewayProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a web-UI user pays for {@code n} consecutive actions ({@code CALL lake.platform.list_runs()}
 * through {@link GatewayClient}, as a logged-in user, the gateway's password authentication on):
 * a connection per action (the UI before one connection per session: a login, that is one
 * PBKDF2 check of 600,000 iterations, and a new Spark session each time) against one connection
 * for all of them (one login, then a liveness check and the statement per action). Both in the
 * same run, alternating, against one gateway started by {@code ./run_gateway.sh} on a fresh
 * temporary home with one reader. Usage, after building the gateway and web-ui's test classes
 * (see docs/benchmarks.md): {@code java -cp <web-ui test class path> io.featurelake.webui.bench.GatewayConnectionBenchmark 10 2}
 */
public final class GatewayConnectionBenchmark {

  private static final String SQL = "CALL lake.platform.list_runs()";
  private static final String USER = "bench";
  private static final String PASSWORD = "bench-connection-secret-1";

  private GatewayConnectionBenchmark() {}

  private record Row(String mode, int round, long[] millis) {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path root = Path.of(System.getProperty("featurelake.test.project-root", ".")).toAbsolutePath().normalize();
    Path home = Files.createTempDirectory("fl-conn-bench");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("FEATURELAKE_HOME", home.toString(), "FEATURELAKE_GATEWAY_PORT", String.valueOf(port),
        "FEATURELAKE_SPARK_MASTER", "local[2]", "FEATURELAKE_SKIP_BUILD", "1", "FEATURELAKE_HEAP", "1g",
        "FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
    String loadBefore = loadAverage();
    run(root, env, Map.of("FEATURELAKE_NEW_USER_PASSWORD", PASSWORD), "--add-user", USER, "--role", "reader");
    Process gateway = GatewayProcess.start(root, env);
    List<Row> rows = new ArrayList<>();
    try {
      GatewayClient client = new GatewayClient("jdbc:hive2://127.0.0.1:" + port + "/",
          root.resolve("web-ui/target/jdbc-driver/hive-jdbc-standalone.jar"));
      try (GatewayClient.Login warmUp = login()) {
        client.query(SQL, 10_000, warmUp); // the gateway's first session starts Hive's metastore
      }
      for (int round = 1; round <= rounds; round++) {
        long[] perAction = new long[n];
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          try (GatewayClient.Login once = login()) {
            client.query(SQL, 10_000, once);
          }
          perAction[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        rows.add(new Row("connection per action (before)", round, perAction));
        perAction = new long[n];
        try (GatewayClient.Login session = login()) {
          for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            client.query(SQL, 10_000, session);
            perAction[i] = (System.nanoTime() - t0) / 1_000_000;
          }
        }
        rows.add(new Row("one connection per session (after)", round, perAction));
      }
    } finally {
      gateway.toHandle().destroy();
      gateway.waitFor(60, TimeUnit.SECONDS);
      gateway.destroyForcibly();
    }
    System.out.printf(Locale.ROOT, "Gateway connection benchmark: %d x `%s` as a reader, gateway password authentication on "
        + "(PBKDF2-SHA256, 600,000 iterations), java %s, %d cores%n%n", n, SQL, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| mode | round | total | first action | median action | slowest action |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      long[] sorted = r.millis().clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "| %s | %d | %d ms | %d ms | %d ms | %d ms |%n", r.mode(), r.round(),
          Arrays.stream(r.millis()).sum(), r.millis()[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }
    System.out.println();
    System.out.println("load average before: " + loadBefore + ", after: " + loadAverage());
  }

  private static GatewayClient.Login login() {
    return new GatewayClient.Login(USER, PASSWORD.toCharArray());
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static void run(Path root, Map<String, String> env, Map<String, String> extra, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("run_gateway.sh").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().putAll(extra);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("run_gateway.sh " + String.join(" ", args) + " failed:\n" + out);
    }
  }
}
