package io.featurelake.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Feature-view definitions for a test's own features directory. */
public final class TestFeatures {

  private TestFeatures() {}

  /** The shipped definitions under {@code sql-catalog/features}. */
  public static Path shipped() throws IOException {
    return Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
  }

  /**
   * Copies a shipped view into {@code dir} with its drift checks relaxed (PSI and row-count change),
   * for tests whose generated windows may drift from each other and that are not about auditing.
   */
  public static void copyRelaxed(Path dir, String view) throws IOException {
    Files.createDirectories(dir);
    Files.copy(shipped().resolve(view + ".sql"), dir.resolve(view + ".sql"));
    Files.writeString(dir.resolve(view + ".yaml"), Files.readString(shipped().resolve(view + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100"));
  }
}
