package io.featurelake.gateway.server;

import io.featurelake.gateway.lake.FeatureViewCatalog;
import io.featurelake.gateway.security.GatewaySecurity;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC gateway: one SparkSession with the lakehouse and Spark's Thrift (HiveServer2 binary
 * protocol) server in the same JVM, with our operation manager installed before it is announced.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final SparkSession spark;
  private final HiveThriftServer2 thrift;
  private final String host;
  private final int port;
  private volatile boolean stopped;

  private GatewayServer(SparkSession spark, HiveThriftServer2 thrift, String host, int port) {
    this.spark = spark;
    this.thrift = thrift;
    this.host = host;
    this.port = port;
  }

  /** Starts Spark and the Thrift server and returns once the port accepts connections. */
  public static GatewayServer start(FeaturelakeConfig config) {
    return start(config, server -> { });
  }

  /** As {@link #start(FeaturelakeConfig)}; {@code created} gets the server before its port is awaited. */
  public static GatewayServer start(FeaturelakeConfig config, java.util.function.Consumer<GatewayServer> created) {
    String bindHost = config.gatewayBindHost();
    int port = config.gatewayPort();
    Map<String, String> settings = new HashMap<>(GatewaySecurity.thriftSettings(config));
    settings.putAll(Map.of(
        "spark.hadoop.hive.server2.thrift.port", String.valueOf(port),
        "spark.hadoop.hive.server2.thrift.bind.host", bindHost,
        "spark.hadoop.hive.server2.transport.mode", "binary",
        // Sessions share one SparkContext but each gets its own SQL conf and temp views.
        "spark.sql.hive.thriftServer.singleSession", "false"));
    SparkSession spark = LakeSessions.create(config, settings);
    GatewaySecurity.install(config, Platform.current().catalogDatabase());
    HiveThriftServer2 thrift;
    try {
      thrift = HiveThriftServer2.startWithContext(spark.sqlContext());
      LakeOperationManager.install(thrift);
    } catch (RuntimeException e) {
      spark.stop();
      throw e;
    }
    GatewayServer server = new GatewayServer(spark, thrift, bindHost, port);
    created.accept(server);
    try {
      server.awaitPort();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    Platform.current().gatewayUrl(server.jdbcUrl());
    List<String> broken = new FeatureViewCatalog(config.featuresDir(), Platform.current().catalogDatabase()).registerAll();
    broken.forEach(problem -> LOG.warn("Feature view not registered: {}", problem));
    LOG.info("Gateway ready at {}", server.jdbcUrl());
    return server;
  }

  /** The URL a client on this machine uses. */
  public String jdbcUrl() {
    String connectHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "jdbc:hive2://" + connectHost + ":" + port + "/";
  }

  public int port() {
    return port;
  }

  public SparkSession spark() {
    return spark;
  }

  private void awaitPort() {
    String connectHost = jdbcUrl().substring("jdbc:hive2://".length(), jdbcUrl().lastIndexOf(':'));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(connectHost, port), 500);
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the gateway port", ie);
        }
      }
    }
    throw new IllegalStateException("The Thrift server did not accept connections on " + connectHost + ":" + port
        + " within " + READY_TIMEOUT.toSeconds() + " s (port in use?): " + last);
  }

  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.info("Stopping gateway on port {}", port);
    Platform.current().closeRuns();
    try {
      thrift.stop();
    } catch (RuntimeException e) {
      LOG.warn("Error stopping the Thrift server", e);
    }
    spark.stop();
    LOG.info("Gateway stopped");
  }
}
