package io.featurelake.gateway.session;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.iceberg.IcebergBuild;

/** Versions of this build and of the libraries it runs on. */
public final class Versions {

  private static final String FEATURELAKE = readFeaturelakeVersion();

  private Versions() {}

  public static String featurelake() {
    return FEATURELAKE;
  }

  public static String iceberg() {
    return IcebergBuild.version();
  }

  private static String readFeaturelakeVersion() {
    try (InputStream in = Versions.class.getResourceAsStream("/featurelake-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
