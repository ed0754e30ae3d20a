package io.featurelake.gateway.testing;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Configurations for tests: state in a temp directory, a free port, two local cores. */
public final class TestConfigs {

  private TestConfigs() {}

  public static FeaturelakeConfig embedded(Path home, int port) {
    return load(home, port, Map.of());
  }

  public static FeaturelakeConfig load(Path home, int port, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(environment(home, port));
    env.putAll(extraEnv);
    return FeaturelakeConfig.load(env, new Properties(), home);
  }

  /** The FEATURELAKE_* variables for a child process sharing this configuration. */
  public static Map<String, String> environment(Path home, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_GATEWAY_PORT", String.valueOf(port));
    env.put("FEATURELAKE_SPARK_MASTER", "local[2]");
    return env;
  }
}
