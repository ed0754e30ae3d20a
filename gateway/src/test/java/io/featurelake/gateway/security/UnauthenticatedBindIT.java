package io.featurelake.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.server.GatewayMain;
import io.featurelake.gateway.testing.ChildJvm;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway's main, as run_gateway.sh runs it, refuses to serve the network without authentication. */
class UnauthenticatedBindIT {

  @Test
  void gatewayOnAllInterfacesWithoutAuthenticationExitsWithOneLine() throws Exception {
    Path home = Files.createTempDirectory("featurelake-bind-it-");
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, TestPorts.free()));
    env.put("FEATURELAKE_GATEWAY_BIND_HOST", "0.0.0.0");
    Process p = ChildJvm.start(GatewayMain.class, env, home);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("featurelake gateway: failed to start: featurelake.gateway.bind-host=0.0.0.0 is not a "
        + "loopback address, so featurelake.gateway.authentication must be password (it is none); add users with "
        + "./run_gateway.sh --add-user NAME --role admin\n");
    assertThat(output).doesNotContain("ready");
  }
}
