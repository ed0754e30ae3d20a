package io.featurelake.gateway.cli;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;

/** Points the log file of a command-line process into the home directory before logging starts. */
public final class LogSetup {

  /** System property read by log4j2.properties. */
  public static final String LOG_FILE_PROPERTY = "featurelake.log.file";

  private LogSetup() {}

  public static void toHome(FeaturelakeConfig config, String process) {
    if (System.getProperty(LOG_FILE_PROPERTY) == null) {
      System.setProperty(LOG_FILE_PROPERTY, logFile(config, process).toString());
    }
  }

  public static Path logFile(FeaturelakeConfig config, String process) {
    String explicit = System.getProperty(LOG_FILE_PROPERTY);
    return explicit != null ? Path.of(explicit) : config.home().resolve("logs").resolve(process + ".log");
  }
}
