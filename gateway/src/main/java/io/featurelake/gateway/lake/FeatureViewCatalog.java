package io.featurelake.gateway.lake;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.features.FeatureViewDefinitionException;
import io.featurelake.sqlcatalog.features.FeatureViewLoader;
import io.featurelake.sqlcatalog.features.FeatureViewRegistry;
import io.featurelake.sqlcatalog.features.RegistrationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feature views as the backfill sees them: read from the definition files (the source of
 * truth, under version control) every time, and registered in the catalog database so the
 * definition text of every version is kept for lineage.
 */
public final class FeatureViewCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureViewCatalog.class);

  private final Path dir;
  private final FeatureViewLoader loader = new FeatureViewLoader();
  private final FeatureViewRegistry registry;

  public FeatureViewCatalog(Path dir, DataSource db) {
    this.dir = dir;
    this.registry = new FeatureViewRegistry(db);
  }

  public Path dir() {
    return dir;
  }

  /** Names of the views defined in the directory (one per .yaml file), sorted. */
  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list feature views in " + dir, e);
    }
  }

  /** Loads, validates and registers one view; unknown or broken views are clear errors. */
  public FeatureViewDefinition load(String name) {
    if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw PlatformException.invalidArgument("feature_view must be a lower-case name like 'user_activity_daily', got '%s'", name);
    }
    Path yaml = dir.resolve(name + ".yaml");
    if (!Files.isRegularFile(yaml)) {
      throw new PlatformException(ErrorCode.NOT_FOUND, "Unknown feature view '" + name + "'; defined in " + dir + ": "
          + (names().isEmpty() ? "(none)" : String.join(", ", names())));
    }
    FeatureViewDefinition definition;
    try {
      definition = loader.load(yaml);
    } catch (FeatureViewDefinitionException e) {
      throw new PlatformException(ErrorCode.INVALID_DEFINITION, e.getMessage().replace('\n', ' '), e);
    }
    io.featurelake.gateway.lake.Expectations.checkSyntax(definition);
    registry.register(List.of(definition));
    return definition;
  }

  /** Registers every valid view; returns the problems of the broken ones (logged, not thrown). */
  public List<String> registerAll() {
    List<FeatureViewDefinition> valid = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String name : names()) {
      try {
        FeatureViewDefinition definition = loader.load(dir.resolve(name + ".yaml"));
        io.featurelake.gateway.lake.Expectations.checkSyntax(definition);
        valid.add(definition);
      } catch (FeatureViewDefinitionException | PlatformException e) {
        problems.add(e.getMessage());
      }
    }
    for (RegistrationResult r : registry.register(valid)) {
      LOG.info("Feature view {}: {} ({})", r.name(), r.status(), r.sha256().substring(0, 12));
    }
    problems.forEach(p -> LOG.error("Broken feature view definition: {}", p));
    return problems;
  }
}
