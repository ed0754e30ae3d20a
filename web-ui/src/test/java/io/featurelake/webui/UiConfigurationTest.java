package io.featurelake.webui;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/** The servlet session lives as long as featurelake.ui.session-timeout-minutes says. */
class UiConfigurationTest {

  @TempDir Path dir;

  @Test
  void sessionTimeoutComesFromTheConfiguration() {
    for (Map.Entry<Map<String, String>, Duration> c : Map.of(Map.<String, String>of(), Duration.ofMinutes(30),
        Map.of("FEATURELAKE_UI_SESSION_TIMEOUT_MINUTES", "5"), Duration.ofMinutes(5)).entrySet()) {
      TomcatServletWebServerFactory tomcat = new TomcatServletWebServerFactory();
      new UiConfiguration().sessionTimeout(FeaturelakeConfig.load(c.getKey(), new Properties(), dir)).customize(tomcat);
      assertThat(tomcat.getSession().getTimeout()).as(c.getKey().toString()).isEqualTo(c.getValue());
    }
  }
}
