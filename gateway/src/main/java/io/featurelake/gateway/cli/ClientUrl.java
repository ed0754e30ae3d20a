package io.featurelake.gateway.cli;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;

/**
 * Prints the JDBC URL a client on this machine uses for the configured gateway, resolved the way
 * the gateway resolves its own port and bind host (defaults, featurelake.properties or
 * $FEATURELAKE_CONFIG, environment, system properties), so {@code run_gateway.sh --beeline}
 * connects to the gateway this configuration starts and never to another one on the default port.
 */
public final class ClientUrl {

  private ClientUrl() {}

  public static void main(String[] args) {
    FeaturelakeConfig config = FeaturelakeConfig.load();
    System.out.println(of(config));
  }

  static String of(FeaturelakeConfig config) {
    return config.gatewayClientUrl();
  }
}
