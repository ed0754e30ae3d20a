package io.featurelake.webui.status;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.webui.gateway.GatewayClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Whether the gateway and Redis answer, checked at most every few seconds: the layout shows a
 * banner per missing door on every page, and pages disable the actions that need it.
 */
public final class PlatformStatus {

  private static final Duration TTL = Duration.ofSeconds(3);

  private final Cached gateway;
  private final Cached redis;
  private final String redisTarget;

  public PlatformStatus(GatewayClient gatewayClient, FeaturelakeConfig config) {
    this.gateway = new Cached(gatewayClient::reachable);
    HostAndPort redisNode = redisNode(config);
    this.redisTarget = redisNode.toString();
    String password = redisPassword(config);
    this.redis = new Cached(() -> ping(redisNode, password));
  }

  public boolean gatewayUp() {
    return gateway.get();
  }

  public boolean redisUp() {
    return redis.get();
  }

  public String redisTarget() {
    return redisTarget;
  }

  private static HostAndPort redisNode(FeaturelakeConfig config) {
    List<String> nodes = config.redisClusterNodes();
    if (!nodes.isEmpty()) {
      return HostAndPort.from(nodes.get(0));
    }
    URI uri = URI.create(config.redisUrl());
    return new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  private static String redisPassword(FeaturelakeConfig config) {
    String password = config.redisPassword();
    if ((password == null || password.isEmpty()) && config.redisClusterNodes().isEmpty()) {
      String userInfo = URI.create(config.redisUrl()).getUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        password = userInfo.substring(userInfo.indexOf(':') + 1);
      }
    }
    return password;
  }

  private static boolean ping(HostAndPort node, String password) {
    DefaultJedisClientConfig.Builder cfg = DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).socketTimeoutMillis(500);
    if (password != null && !password.isEmpty()) {
      cfg.password(password);
    }
    try (Jedis jedis = new Jedis(node, cfg.build())) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final class Cached {
    private final BooleanSupplier probe;
    private Instant checkedAt = Instant.EPOCH;
    private boolean value;

    Cached(BooleanSupplier probe) {
      this.probe = probe;
    }

    synchronized boolean get() {
      if (Instant.now().isAfter(checkedAt.plus(TTL))) {
        value = probe.getAsBoolean();
        checkedAt = Instant.now();
      }
      return value;
    }
  }
}
