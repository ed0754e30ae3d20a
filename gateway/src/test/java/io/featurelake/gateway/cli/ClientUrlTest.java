package io.featurelake.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientUrlTest {

  @Test
  void theBeelineUrlUsesThePortAndHostOfTheConfigFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("featurelake.properties"),
        "featurelake.gateway.port=10123\nfeaturelake.gateway.bind-host=0.0.0.0\n");
    FeaturelakeConfig fromFile = FeaturelakeConfig.load(Map.of(), new Properties(), dir);
    assertThat(ClientUrl.of(fromFile)).isEqualTo("jdbc:hive2://127.0.0.1:10123/");

    FeaturelakeConfig envWins = FeaturelakeConfig.load(Map.of("FEATURELAKE_GATEWAY_PORT", "10999",
        "FEATURELAKE_GATEWAY_BIND_HOST", "10.1.2.3"), new Properties(), dir);
    assertThat(ClientUrl.of(envWins)).isEqualTo("jdbc:hive2://10.1.2.3:10999/");
  }
}
