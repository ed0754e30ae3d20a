package io.featurelake.webui.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's start-up rule: login off only on a loopback address, and only when the gateway has no passwords. */
class UiSecurityTest {

  @TempDir Path dir;

  private FeaturelakeConfig config(Map<String, String> env) {
    return FeaturelakeConfig.load(env, new Properties(), dir);
  }

  @Test
  void loginFollowsTheGatewayUnlessSet() {
    assertThat(config(Map.of()).uiLogin()).isFalse();
    assertThat(config(Map.of("FEATURELAKE_GATEWAY_AUTHENTICATION", "password")).uiLogin()).isTrue();
    assertThat(config(Map.of("FEATURELAKE_UI_LOGIN", "password")).uiLogin()).isTrue();
    assertThat(config(Map.of()).uiSessionTimeoutMinutes()).isEqualTo(30);
  }

  @Test
  void loginOffIsRefusedOnANonLoopbackAddressNamingTheSetting() {
    assertThatThrownBy(() -> UiSecurity.checkStartup(config(Map.of("FEATURELAKE_UI_LOGIN", "none")), "0.0.0.0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("FEATURELAKE_UI_BIND_HOST=0.0.0.0 is not a loopback address, so featurelake.ui.login must be password "
            + "(it is none); add users with ./run_gateway.sh --add-user NAME --role ROLE");
    assertThatCode(() -> UiSecurity.checkStartup(config(Map.of()), "127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> UiSecurity.checkStartup(config(Map.of()), "localhost")).doesNotThrowAnyException();
    assertThatCode(() -> UiSecurity.checkStartup(config(Map.of("FEATURELAKE_UI_LOGIN", "password")), "0.0.0.0"))
        .doesNotThrowAnyException();
  }

  @Test
  void loginOffIsRefusedWhenTheGatewayWantsPasswords() {
    assertThatThrownBy(() -> UiSecurity.checkStartup(config(Map.of("FEATURELAKE_UI_LOGIN", "none",
        "FEATURELAKE_GATEWAY_AUTHENTICATION", "password")), "127.0.0.1"))
        .hasMessage("featurelake.ui.login is none but featurelake.gateway.authentication is password: the web UI opens "
            + "the gateway's connections as the logged-in user, so set featurelake.ui.login=password");
  }

  @Test
  void badSettingsNameTheirValue() {
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_UI_LOGIN", "maybe")))
        .hasMessage("featurelake.ui.login must be none or password (or empty: as the gateway), got 'maybe'");
    assertThatThrownBy(() -> config(Map.of("FEATURELAKE_UI_SESSION_TIMEOUT_MINUTES", "0")))
        .hasMessage("featurelake.ui.session-timeout-minutes must be between 1 and 10080, got 0");
  }
}
