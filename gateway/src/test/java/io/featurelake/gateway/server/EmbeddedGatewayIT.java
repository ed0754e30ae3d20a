package io.featurelake.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway on the zero-configuration default: embedded H2 catalog database, local warehouse. */
class EmbeddedGatewayIT extends AbstractGatewayIT {

  @Override
  protected FeaturelakeConfig config(Path home, int port) {
    return TestConfigs.embedded(home, port);
  }

  @Test
  void zeroConfigurationKeepsStateUnderHome() {
    assertThat(home.resolve("catalog")).isDirectory();
    assertThat(home.resolve("warehouse/demo")).isDirectory();
  }

  @Test
  void beelineFromSparksDependenciesWorks() throws Exception {
    Path root = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath();
    ProcessBuilder pb = new ProcessBuilder(List.of("./run_gateway.sh", "--beeline", "--silent=true",
        "--outputformat=csv2",
        "-e", "CREATE TABLE lake.demo.from_beeline (id BIGINT, name STRING) USING iceberg;",
        "-e", "INSERT INTO lake.demo.from_beeline VALUES (1, 'b');",
        "-e", "SELECT id, name FROM lake.demo.from_beeline;",
        "-e", "SELECT * FROM lake.demo.nope;"))
        .directory(root.toFile())
        .redirectErrorStream(true);
    pb.environment().put("FEATURELAKE_SKIP_BUILD", "1");
    pb.environment().put("FEATURELAKE_GATEWAY_PORT", String.valueOf(gateway.port()));
    Process p = pb.start();
    String out = read(p);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("id,name").contains("1,b")
        .contains("TABLE_OR_VIEW_NOT_FOUND").doesNotContain("\tat org.apache");
  }

  private static String read(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
