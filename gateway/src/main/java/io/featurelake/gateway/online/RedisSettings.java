package io.featurelake.gateway.online;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * How to reach the online store, in a form Spark can ship to executors (each task opens its own
 * connection from it). Built from {@code featurelake.redis.*} and {@code featurelake.online.*}.
 *
 * @param clusterNodes non-empty means Redis Cluster (seed nodes, {@code host:port})
 */
public record RedisSettings(String host, int port, int database, boolean tls, String user, String password,
    List<String> clusterNodes, int timeoutMs, String keyPrefix, int batchSize, int pipelineDepth) implements Serializable {

  public RedisSettings {
    clusterNodes = List.copyOf(clusterNodes);
  }

  public static RedisSettings fromConfig(FeaturelakeConfig config) {
    return parse(config.redisUrl(), config.redisPassword(), config.redisClusterNodes(), config.redisTimeoutMs(),
        config.onlineKeyPrefix(), config.onlineBatchSize(), config.onlinePipelineDepth());
  }

  /**
   * Parses {@code redis://[user[:password]@]host[:port][/db]} ({@code rediss://} = TLS). A
   * non-empty {@code password} wins over one inside the URL.
   */
  public static RedisSettings parse(String url, String password, List<String> clusterNodes, int timeoutMs, String keyPrefix,
      int batchSize, int pipelineDepth) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("featurelake.redis.url is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("featurelake.redis.url must start with redis:// or rediss://, got '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("featurelake.redis.url has no host: '" + url + "'");
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("featurelake.redis.url: the path must be a database number, got '" + path + "'");
      }
    }
    String user = null;
    String urlPassword = null;
    if (uri.getUserInfo() != null) {
      String[] parts = uri.getUserInfo().split(":", 2);
      if (parts.length == 2) {
        user = parts[0].isEmpty() ? null : parts[0];
        urlPassword = parts[1];
      } else {
        urlPassword = parts[0];
      }
    }
    String pw = password != null && !password.isEmpty() ? password : urlPassword;
    return new RedisSettings(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), database, "rediss".equals(scheme), user,
        pw, clusterNodes, timeoutMs, keyPrefix, batchSize, pipelineDepth);
  }

  public boolean cluster() {
    return !clusterNodes.isEmpty();
  }

  /** Where, for messages: {@code 127.0.0.1:6379/0} or {@code cluster 10.0.0.1:7000,...}. */
  public String describe() {
    return cluster() ? "cluster " + String.join(",", clusterNodes) : host + ":" + port + "/" + database;
  }

  public RedisSettings withEndpoint(String newHost, int newPort, int newDatabase) {
    return new RedisSettings(newHost, newPort, newDatabase, tls, user, password, clusterNodes, timeoutMs, keyPrefix,
        batchSize, pipelineDepth);
  }

  public RedisSettings withPassword(String newPassword) {
    return new RedisSettings(host, port, database, tls, user, newPassword, clusterNodes, timeoutMs, keyPrefix, batchSize,
        pipelineDepth);
  }

  /** Empty: a standalone Redis at {@link #host()}:{@link #port()}. */
  public RedisSettings withClusterNodes(List<String> nodes) {
    return new RedisSettings(host, port, database, tls, user, password, nodes, timeoutMs, keyPrefix, batchSize,
        pipelineDepth);
  }

  public RedisSettings withKeyPrefix(String prefix) {
    return new RedisSettings(host, port, database, tls, user, password, clusterNodes, timeoutMs, prefix, batchSize,
        pipelineDepth);
  }

  @Override
  public String toString() {
    return "RedisSettings[" + describe() + (tls ? ", tls" : "") + (password == null ? "" : ", password ****") + "]";
  }
}
