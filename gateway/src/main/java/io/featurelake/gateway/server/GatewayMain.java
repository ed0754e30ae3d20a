package io.featurelake.gateway.server;

import io.featurelake.gateway.cli.LogSetup;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Entry point of {@code run_gateway.sh}: start, print the JDBC URL, run until SIGTERM / Ctrl-C. */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    FeaturelakeConfig config;
    try {
      config = FeaturelakeConfig.load();
    } catch (ConfigException e) {
      System.err.println("featurelake: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogSetup.toHome(config, "gateway");
    System.out.println("featurelake gateway: starting Spark (" + config.sparkMaster() + ") with catalog 'lake', state in "
        + config.home() + " ...");
    long t0 = System.nanoTime();
    // The hook is in place before the port opens: a SIGTERM right after the first connection
    // (a script waiting for the port, then stopping it) stops the server instead of failing to add it.
    AtomicReference<GatewayServer> started = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      GatewayServer running = started.get();
      if (running != null) {
        System.out.println("featurelake gateway: stopping ...");
        running.close();
        System.out.println("featurelake gateway: stopped");
      }
      stopped.countDown();
    }, "featurelake-gateway-shutdown"));
    GatewayServer server;
    try {
      server = GatewayServer.start(config, started::set);
    } catch (RuntimeException e) {
      System.err.println("featurelake gateway: failed to start: " + e.getMessage());
      System.err.println("(full trace in " + LogSetup.logFile(config, "gateway") + ")");
      org.slf4j.LoggerFactory.getLogger(GatewayMain.class).error("Gateway failed to start", e);
      System.exit(1);
      return;
    }
    System.out.printf("featurelake gateway ready in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, server.jdbcUrl());
    System.out.println("  logs: " + LogSetup.logFile(config, "gateway") + "   stop: Ctrl-C");
    System.out.flush();
    stopped.await();
  }
}
