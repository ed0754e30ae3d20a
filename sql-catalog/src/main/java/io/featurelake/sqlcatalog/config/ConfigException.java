package io.featurelake.sqlcatalog.config;

/** A configuration value is missing, unknown or malformed. The message names the key. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
