package io.featurelake.webui;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.status.PlatformStatus;
import io.featurelake.webui.security.UiSecurity;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.AbstractServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the UI to the same configuration file and state directory as the gateway and the
 * scripts: the catalog database is read directly (so read pages work while the gateway is down),
 * everything that changes the lake goes through the gateway's CALLs.
 */
@Configuration
public class UiConfiguration {

  @Bean
  public FeaturelakeConfig featurelakeConfig() {
    return FeaturelakeConfig.load();
  }

  /** The Spark-free read side: catalog database (migrated: the UI may start first) and Iceberg metadata. */
  @Bean(destroyMethod = "close")
  public PlatformCore platformCore(FeaturelakeConfig config) {
    return PlatformCore.open(config);
  }

  /** The gateway's JDBC door, with its connect and read timeouts; closing it (the UI stops) closes every session's connection. */
  @Bean(destroyMethod = "close")
  public GatewayClient gatewayClient(FeaturelakeConfig config,
      @Value("${featurelake.ui.jdbc-driver:web-ui/target/jdbc-driver/hive-jdbc-standalone.jar}") String driverJar) {
    return new GatewayClient(config.gatewayClientUrl(), Path.of(driverJar), config.uiGatewayConnectTimeout(),
        config.uiGatewayReadTimeout());
  }

  /** Login, roles and the start-up rule (login off only on a loopback address); see docs/security.md. */
  @Bean
  public UiSecurity uiSecurity(FeaturelakeConfig config, PlatformCore core,
      @Value("${server.address:127.0.0.1}") String bindHost) {
    return new UiSecurity(config, core, bindHost);
  }

  /** The session timeout from featurelake.ui.session-timeout-minutes (Vaadin's heartbeat does not extend it). */
  @Bean
  public WebServerFactoryCustomizer<AbstractServletWebServerFactory> sessionTimeout(FeaturelakeConfig config) {
    return factory -> factory.getSession().setTimeout(Duration.ofMinutes(config.uiSessionTimeoutMinutes()));
  }

  @Bean
  public PlatformStatus platformStatus(GatewayClient gateway, FeaturelakeConfig config) {
    return new PlatformStatus(gateway, config);
  }
}
