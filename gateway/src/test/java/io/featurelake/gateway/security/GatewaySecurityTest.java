package io.featurelake.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySecurityTest {

  @TempDir Path home;

  private FeaturelakeConfig config(Map<String, String> env) {
    return TestConfigs.load(home, 10000, env);
  }

  @Test
  void bindingBeyondLoopbackWithoutAuthenticationRefusesToStart() {
    FeaturelakeConfig open = config(Map.of("FEATURELAKE_GATEWAY_BIND_HOST", "0.0.0.0"));
    String message = "featurelake.gateway.bind-host=0.0.0.0 is not a loopback address, so "
        + "featurelake.gateway.authentication must be password (it is none); add users with "
        + "./run_gateway.sh --add-user NAME --role admin";
    assertThatThrownBy(() -> GatewaySecurity.thriftSettings(open)).isInstanceOf(ConfigException.class).hasMessage(message);
    // Refused before Spark or the catalog database start.
    assertThatThrownBy(() -> GatewayServer.start(open)).hasMessage(message);
    assertThat(home.resolve("catalog")).doesNotExist();
  }

  @Test
  void loopbackWithoutAuthenticationAndAnyAddressWithAuthenticationStart() {
    assertThat(GatewaySecurity.thriftSettings(config(Map.of())))
        .containsEntry("spark.hadoop.hive.server2.authentication", "NONE")
        .containsEntry("spark.hadoop.hive.server2.allow.user.substitution", "false");
    assertThat(GatewaySecurity.thriftSettings(config(Map.of("FEATURELAKE_GATEWAY_BIND_HOST", "localhost"))))
        .containsEntry("spark.hadoop.hive.server2.authentication", "NONE");
    assertThat(GatewaySecurity.thriftSettings(config(Map.of("FEATURELAKE_GATEWAY_BIND_HOST", "0.0.0.0",
        "FEATURELAKE_GATEWAY_AUTHENTICATION", "password"))))
        .containsEntry("spark.hadoop.hive.server2.authentication", "CUSTOM")
        .containsEntry("spark.hadoop.hive.server2.allow.user.substitution", "false");
    assertThat(System.getProperty(GatewaySecurity.CUSTOM_PROVIDER_PROPERTY)).isEqualTo(LakeAuthenticationProvider.class.getName());
  }

  @Test
  void badSecuritySettingsAreNamed() {
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_GATEWAY_AUTHENTICATION", "ldap")))
        .hasMessage("featurelake.gateway.authentication must be none or password, got 'ldap'");
    FeaturelakeConfig tls = config(Map.of("FEATURELAKE_GATEWAY_TLS_KEYSTORE", home.resolve("missing.p12").toString(),
        "FEATURELAKE_GATEWAY_TLS_KEYSTORE_PASSWORD", "changeit"));
    assertThatThrownBy(() -> GatewaySecurity.thriftSettings(tls))
        .hasMessage("featurelake.gateway.tls.keystore names " + home.resolve("missing.p12") + ", which is not a readable file");
    assertThat(tls.masked()).containsEntry("featurelake.gateway.tls.keystore-password", "****");
  }

  @Test
  void auditTargetsQuoteStringsAsSparkSqlDoes() {
    Map<String, Object> args = new java.util.LinkedHashMap<>();
    args.put("feature_view", "it's\\x");
    args.put("publish", false);
    args.put("limit", null);
    assertThat(ProcedureAccess.describe("start_backfill", args))
        .isEqualTo("lake.platform.start_backfill(feature_view => 'it\\'s\\\\x', publish => false)");
  }
}
