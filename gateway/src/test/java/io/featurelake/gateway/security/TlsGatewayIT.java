package io.featurelake.gateway.security;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** TLS on the Thrift port from a keystore in the configuration, with password logins, on all interfaces. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsGatewayIT {

  private static final String PASSWORD = "changeit-123";
  private Path home;
  private GatewayServer gateway;
  private Path truststore;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-tls-it-");
    Path keystore = home.resolve("gateway.p12");
    Path cert = home.resolve("gateway.crt");
    truststore = home.resolve("clients.jks");
    keytool("-genkeypair", "-alias", "gateway", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-alias", "gateway", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "gateway", "-file", cert.toString(), "-storetype", "JKS",
        "-keystore", truststore.toString(), "-storepass", PASSWORD);
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_GATEWAY_BIND_HOST", "0.0.0.0");
    env.put("FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
    env.put("FEATURELAKE_GATEWAY_TLS_KEYSTORE", keystore.toString());
    env.put("FEATURELAKE_GATEWAY_TLS_KEYSTORE_PASSWORD", PASSWORD);
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    new UserAdministration(new UserRepository(Platform.current().catalogDatabase()), new PasswordHasher())
        .add("ada", "admin", "ada-secret-pw-1".toCharArray(), "setup");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("keytool: %s", out).isZero();
  }

  @Test
  void clientsConnectOverTlsAndPlainTcpIsRefused() throws Exception {
    String tlsUrl = gateway.jdbcUrl() + ";ssl=true;sslTrustStore=" + truststore + ";trustStorePassword=" + PASSWORD;
    try (Connection c = HiveJdbc.connect(tlsUrl, "ada", "ada-secret-pw-1")) {
      assertThat(query(c, "SELECT 40 + 2 AS answer")).containsExactly(Map.of("answer", 42));
      assertThat(query(c, "CALL lake.platform.list_users()")).extracting(r -> r.get("user_name")).containsExactly("ada");
    }
    assertThatThrownBy(() -> HiveJdbc.connect(tlsUrl, "ada", "wrong-password-1").close()).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> HiveJdbc.connect(gateway.jdbcUrl(), "ada", "ada-secret-pw-1").close()).isInstanceOf(SQLException.class);
  }
}
