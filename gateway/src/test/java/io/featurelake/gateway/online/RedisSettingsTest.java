package io.featurelake.gateway.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

  private static FeaturelakeConfig config(Map<String, String> env) {
    return FeaturelakeConfig.load(env, new Properties(), Path.of("/tmp"));
  }

  @Test
  void defaultsAreTheLocalRedisDatabaseZero() {
    RedisSettings s = RedisSettings.fromConfig(config(Map.of()));
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(6379);
    assertThat(s.database()).isZero();
    assertThat(s.tls()).isFalse();
    assertThat(s.password()).isNull();
    assertThat(s.cluster()).isFalse();
    assertThat(s.keyPrefix()).isEqualTo("fl");
    assertThat(s.batchSize()).isEqualTo(500);
    assertThat(s.pipelineDepth()).isEqualTo(8);
  }

  @Test
  void urlGivesTlsDatabaseAndPasswordAndTheConfiguredPasswordWins() {
    RedisSettings s = RedisSettings.parse("rediss://app:frompath@redis.internal:6380/3", "", List.of(), 100, "fl", 10, 2);
    assertThat(s.tls()).isTrue();
    assertThat(s.host()).isEqualTo("redis.internal");
    assertThat(s.port()).isEqualTo(6380);
    assertThat(s.database()).isEqualTo(3);
    assertThat(s.user()).isEqualTo("app");
    assertThat(s.password()).isEqualTo("frompath");
    assertThat(RedisSettings.parse("redis://:p@h/1", "override", List.of(), 100, "fl", 10, 2).password()).isEqualTo("override");
    assertThat(s.toString()).doesNotContain("frompath");
  }

  @Test
  void environmentSelectsClusterMode() {
    RedisSettings s = RedisSettings.fromConfig(config(Map.of("FEATURELAKE_REDIS_CLUSTER_NODES", "10.0.0.1:7000, 10.0.0.2:7000",
        "FEATURELAKE_REDIS_PASSWORD", "pw")));
    assertThat(s.cluster()).isTrue();
    assertThat(s.clusterNodes()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");
    assertThat(s.describe()).isEqualTo("cluster 10.0.0.1:7000,10.0.0.2:7000");
    assertThat(s.password()).isEqualTo("pw");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_REDIS_URL", "http://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("featurelake.redis.url must be a redis:// or rediss:// URL, got 'http://x'");
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_REDIS_CLUSTER_NODES", "a:1,b")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("featurelake.redis.cluster-nodes must be comma-separated host:port pairs, got 'b'");
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_ONLINE_BATCH_SIZE", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("featurelake.online.batch-size must be between 1 and 100000, got 0");
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_ONLINE_KEY_PREFIX", "a{b}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("featurelake.online.key-prefix must be 1 to 64 letters, digits, '_', '.' or '-', got 'a{b}'");
  }

  @Test
  void passwordsAreMasked() {
    Map<String, String> masked = config(Map.of("FEATURELAKE_REDIS_PASSWORD", "secret",
        "FEATURELAKE_REDIS_URL", "redis://u:inurl@h:1/0")).masked();
    assertThat(masked.get("featurelake.redis.password")).isEqualTo("****");
    assertThat(masked.get("featurelake.redis.url")).isEqualTo("redis://u:****@h:1/0");
  }
}
