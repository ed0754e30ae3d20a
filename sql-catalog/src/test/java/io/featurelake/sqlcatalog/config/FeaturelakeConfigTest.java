package io.featurelake.sqlcatalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturelakeConfigTest {

  @TempDir Path workDir;

  @Test
  void zeroConfigurationKeepsAllStateUnderOneDirectory() {
    FeaturelakeConfig config = FeaturelakeConfig.load(Map.of(), new Properties(), workDir);

    Path home = workDir.resolve("featurelake-data");
    assertThat(config.home()).isEqualTo(home);
    assertThat(config.sparkMaster()).isEqualTo("local[*]");
    assertThat(config.warehouse()).isEqualTo(home.resolve("warehouse").toString());
    assertThat(config.embeddedCatalogDatabase()).isTrue();
    assertThat(config.catalogDbUrl())
        .startsWith("jdbc:h2:file:" + home.resolve("catalog"))
        .contains("DATABASE_TO_LOWER=TRUE", "AUTO_SERVER=TRUE", "MODE=PostgreSQL");
    assertThat(config.gatewayPort()).isEqualTo(10000);
    assertThat(config.gatewayBindHost()).isEqualTo("127.0.0.1");
    assertThat(config.sourceFile()).isEmpty();
  }

  @Test
  void fileThenEnvironmentThenSystemPropertiesWin() throws IOException {
    Files.writeString(workDir.resolve("featurelake.properties"), String.join("\n",
        "featurelake.spark.master=spark://file:7077",
        "featurelake.gateway.port=10001",
        "featurelake.gateway.bind-host=0.0.0.0",
        "spark.executor.memory=2g"));
    Properties sys = new Properties();
    sys.setProperty("featurelake.gateway.port", "10003");

    FeaturelakeConfig config = FeaturelakeConfig.load(
        Map.of("FEATURELAKE_SPARK_MASTER", "local[2]", "FEATURELAKE_GATEWAY_PORT", "10002"), sys, workDir);

    assertThat(config.sparkMaster()).isEqualTo("local[2]");
    assertThat(config.gatewayPort()).isEqualTo(10003);
    assertThat(config.gatewayBindHost()).isEqualTo("0.0.0.0");
    assertThat(config.sparkConf()).containsEntry("spark.executor.memory", "2g");
    assertThat(config.sourceFile()).contains(workDir.resolve("featurelake.properties"));
  }

  @Test
  void environmentNameFollowsTheKey() {
    assertThat(FeaturelakeConfig.environmentName("featurelake.gateway.bind-host")).isEqualTo("FEATURELAKE_GATEWAY_BIND_HOST");
  }

  @Test
  void homePlaceholderAndObjectStoreWarehouse() {
    FeaturelakeConfig local = FeaturelakeConfig.load(
        Map.of("FEATURELAKE_HOME", "state", "FEATURELAKE_WAREHOUSE", "${featurelake.home}/wh"), new Properties(), workDir);
    assertThat(local.warehouse()).isEqualTo(workDir.resolve("state/wh").toString());

    FeaturelakeConfig s3 = FeaturelakeConfig.load(
        Map.of("FEATURELAKE_WAREHOUSE", "s3a://bucket/warehouse"), new Properties(), workDir);
    assertThat(s3.warehouse()).isEqualTo("s3a://bucket/warehouse");
  }

  @Test
  void unknownKeyInFileIsRefusedWithItsName() throws IOException {
    Path file = workDir.resolve("custom.properties");
    Files.writeString(file, "featurelake.gateway.prot=1\n");

    assertThatThrownBy(() -> FeaturelakeConfig.load(Map.of("FEATURELAKE_CONFIG", file.toString()), new Properties(), workDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Unknown configuration key 'featurelake.gateway.prot' in " + file);
  }

  @Test
  void missingNamedFileIsRefused() {
    assertThatThrownBy(() -> FeaturelakeConfig.load(Map.of("FEATURELAKE_CONFIG", "nope.properties"), new Properties(), workDir))
        .isInstanceOf(ConfigException.class)
        .hasMessage("FEATURELAKE_CONFIG names " + workDir.resolve("nope.properties") + ", which is not a readable file");
  }

  @Test
  void badPortAndBadDatabaseUrlAreRefused() {
    assertThatThrownBy(() -> FeaturelakeConfig.load(Map.of("FEATURELAKE_GATEWAY_PORT", "ten"), new Properties(), workDir))
        .hasMessage("featurelake.gateway.port must be a port number, got 'ten'");
    assertThatThrownBy(() -> FeaturelakeConfig.load(Map.of("FEATURELAKE_GATEWAY_PORT", "70000"), new Properties(), workDir))
        .hasMessage("featurelake.gateway.port must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> FeaturelakeConfig.load(
        Map.of("FEATURELAKE_CATALOG_DB_URL", "jdbc:mysql://h/db?password=secret"), new Properties(), workDir))
        .hasMessage("featurelake.catalog-db.url must be a jdbc:postgresql: or jdbc:h2: URL, got 'jdbc:mysql://h/db?password=****'");
  }

  @Test
  void maskedHidesPasswords() {
    FeaturelakeConfig config = FeaturelakeConfig.load(Map.of(
        "FEATURELAKE_CATALOG_DB_URL", "jdbc:postgresql://db:5432/fl?user=fl&password=s3cret&ssl=true",
        "FEATURELAKE_CATALOG_DB_PASSWORD", "other"), new Properties(), workDir);

    assertThat(config.masked())
        .containsEntry("featurelake.catalog-db.url", "jdbc:postgresql://db:5432/fl?user=fl&password=****&ssl=true")
        .containsEntry("featurelake.catalog-db.password", "****");
    assertThat(config.masked().toString()).doesNotContain("s3cret", "other");
  }

  @Test
  void theWebUisGatewayTimeoutsDefaultToHalfAMinuteToConnectAndFifteenMinutesToRead() {
    FeaturelakeConfig config = FeaturelakeConfig.load(Map.of(), new Properties(), workDir);
    assertThat(config.uiGatewayConnectTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.uiGatewayReadTimeout()).isEqualTo(java.time.Duration.ofMinutes(15));
    assertThat(FeaturelakeConfig.load(Map.of("FEATURELAKE_UI_GATEWAY_READ_TIMEOUT_SECONDS", "3600"), new Properties(), workDir)
        .uiGatewayReadTimeout()).isEqualTo(java.time.Duration.ofHours(1));
    assertThatThrownBy(() -> FeaturelakeConfig.load(Map.of("FEATURELAKE_UI_GATEWAY_CONNECT_TIMEOUT_SECONDS", "0"),
        new Properties(), workDir))
        .hasMessage("featurelake.ui.gateway-connect-timeout-seconds must be between 1 and 3600, got 0");
  }
}
