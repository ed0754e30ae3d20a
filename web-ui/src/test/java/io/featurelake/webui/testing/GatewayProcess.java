package io.featurelake.webui.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A gateway started with the project's {@code ./run_gateway.sh}, as a user starts it, once it says it is ready. */
public final class GatewayProcess {

  private GatewayProcess() {}

  /**
   * Starts {@code run_gateway.sh} in {@code root} with {@code env} added to this JVM's environment
   * and waits (at most 3 minutes) for its "gateway ready" line; a gateway that does not get there
   * is stopped and its output is in the exception.
   */
  public static Process start(Path root, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(root.resolve("run_gateway.sh").toString()).directory(root.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process gateway = pb.start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (log) {
            log.append(line).append('\n');
          }
          if (line.contains("gateway ready")) {
            ready.complete(true);
          }
        }
      } catch (IOException e) {
        // the gateway stopped
      }
      ready.complete(false);
    }, "test-gateway-output");
    reader.setDaemon(true);
    reader.start();
    if (!ready.get(3, TimeUnit.MINUTES)) {
      gateway.destroyForcibly();
      synchronized (log) {
        throw new IllegalStateException("The gateway did not start:\n" + log);
      }
    }
    return gateway;
  }
}
