package io.featurelake.webui.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ./run_ui.sh refuses to serve the network without a login, with one line naming the setting. */
class UiBindRefusalIT {

  @Test
  void uiOnAllInterfacesWithoutLoginExitsWithOneLine() throws Exception {
    Path root = Path.of(System.getProperty("featurelake.test.project-root", "..")).toAbsolutePath().normalize();
    Path home = Files.createTempDirectory("fl-ui-bind-it");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(root.resolve("run_ui.sh").toString()).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("FEATURELAKE_HOME", home.toString());
    pb.environment().put("FEATURELAKE_SKIP_BUILD", "1");
    pb.environment().put("FEATURELAKE_UI_PORT", String.valueOf(port));
    pb.environment().put("FEATURELAKE_UI_BIND_HOST", "0.0.0.0");
    pb.environment().remove("FEATURELAKE_UI_LOGIN");
    pb.environment().remove("FEATURELAKE_GATEWAY_AUTHENTICATION");
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("featurelake web UI: failed to start: FEATURELAKE_UI_BIND_HOST=0.0.0.0 is not a loopback "
        + "address, so featurelake.ui.login must be password (it is none); add users with ./run_gateway.sh --add-user NAME "
        + "--role ROLE (full trace in ");
    assertThat(output).doesNotContain("ready");
  }
}
