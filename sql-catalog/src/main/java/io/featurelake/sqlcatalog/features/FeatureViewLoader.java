package io.featurelake.sqlcatalog.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads and validates feature-view definitions: {@code <view>.yaml} plus {@code <view>.sql} side
 * by side, anywhere under a features directory. Errors are {@link FeatureViewDefinitionException}s
 * that name the file, the field and the bad value. Git metadata (last commit, dirty) is attached
 * when the files live in a git work tree; git never makes a load fail.
 */
public final class FeatureViewLoader {

  public static final Duration DEFAULT_GIT_TIMEOUT = Duration.ofSeconds(10);

  private final GitMetadata git;

  public FeatureViewLoader() {
    this(DEFAULT_GIT_TIMEOUT);
  }

  /** @param gitTimeout how long one {@code git} command may run before it is killed and ignored */
  public FeatureViewLoader(Duration gitTimeout) {
    this.git = new GitMetadata(gitTimeout);
  }

  /**
   * Every definition under {@code featuresDir} (recursively), sorted by name. Problems of all
   * files are collected and thrown together, one per line: invalid files, two files defining
   * the same view name, and SQL files without a YAML file.
   */
  public List<FeatureViewDefinition> loadAll(Path featuresDir) {
    Path dir = featuresDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new FeatureViewDefinitionException(dir + ": the features directory does not exist");
    }
    Optional<Path> root = git.workTreeRoot(dir);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the features directory " + dir, e);
    }

    List<String> problems = new ArrayList<>();
    Map<String, FeatureViewDefinition> byName = new LinkedHashMap<>();
    for (Path file : files) {
      if (isYaml(file)) {
        try {
          FeatureViewDefinition definition = load(file, root);
          FeatureViewDefinition earlier = byName.putIfAbsent(definition.name(), definition);
          if (earlier != null) {
            problems.add(definition.sourcePath() + ": feature view '" + definition.name() + "' is already defined in "
                + earlier.sourcePath());
          }
        } catch (FeatureViewDefinitionException e) {
          problems.addAll(e.problems());
        }
      } else if (file.getFileName().toString().endsWith(".sql")) {
        String base = baseName(file);
        if (!Files.exists(file.resolveSibling(base + ".yaml")) && !Files.exists(file.resolveSibling(base + ".yml"))) {
          problems.add(displayPath(file, root) + ": no definition file " + base + ".yaml for this SQL file");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new FeatureViewDefinitionException(problems, null);
    }
    List<FeatureViewDefinition> definitions = new ArrayList<>(byName.values());
    definitions.sort(Comparator.comparing(FeatureViewDefinition::name));
    return definitions;
  }

  /** One definition: {@code yaml} and the {@code .sql} file of the same base name next to it. */
  public FeatureViewDefinition load(Path yaml) {
    Path file = yaml.toAbsolutePath().normalize();
    return load(file, git.facts(file.getParent(), file, sqlFileOf(file)));
  }

  private FeatureViewDefinition load(Path yamlFile, Optional<Path> root) {
    return load(yamlFile, git.facts(root, yamlFile.getParent(), yamlFile, sqlFileOf(yamlFile)));
  }

  /** The SQL file of a definition: the same base name, next to it. */
  private static Path sqlFileOf(Path yamlFile) {
    return yamlFile.resolveSibling(baseName(yamlFile) + ".sql");
  }

  private FeatureViewDefinition load(Path yamlFile, GitMetadata.Facts facts) {
    Optional<Path> root = facts.root();
    String display = displayPath(yamlFile, root);
    if (!isYaml(yamlFile)) {
      throw new FeatureViewDefinitionException(display + ": a feature-view definition file must end in .yaml or .yml");
    }
    if (!Files.isRegularFile(yamlFile)) {
      throw new FeatureViewDefinitionException(display + ": the file does not exist");
    }
    String base = baseName(yamlFile);
    String yamlText = readUtf8(yamlFile, display, yamlFile.getFileName().toString());
    DefinitionParser.Fields fields = DefinitionParser.parse(yamlText, display);
    if (!fields.name().equals(base)) {
      throw new FeatureViewDefinitionException(display + ": name '" + fields.name()
          + "' does not match the file name '" + base + "'");
    }
    Path sqlFile = sqlFileOf(yamlFile);
    String sqlName = sqlFile.getFileName().toString();
    if (!Files.isRegularFile(sqlFile)) {
      throw new FeatureViewDefinitionException(display + ": the SQL file " + sqlName + " is missing");
    }
    String sql = readUtf8(sqlFile, display, sqlName);
    String problem = SqlTemplate.problem(sql, sqlName,
        new SqlTemplate.Declared(fields.entities(), fields.eventTimestamp(), fields.sources(), fields.lookbackDays()));
    if (problem != null) {
      throw new FeatureViewDefinitionException(display + ": " + problem);
    }

    String gitCommit = facts.lastCommit();
    boolean gitDirty = facts.dirty();
    String sha256 = FeatureViewDefinition.sha256Hex(FeatureViewDefinition.definitionText(yamlText, sql));
    return new FeatureViewDefinition(fields.name(), fields.description(), fields.owner(), fields.entities(),
        fields.eventTimestamp(), fields.sources(), fields.lookbackDays(), fields.onlineTtl(), fields.checks(),
        yamlText, sql, display, sha256, gitCommit, gitDirty);
  }

  /**
   * Rebuilds a definition from its stored text ({@link FeatureViewDefinition#definitionText()}, as
   * kept in {@code feature_view_versions}), so a run can be recomputed with the definition it
   * had, whatever the files say today. The text is validated like a file; {@code location} names
   * it in errors. The hash is recomputed from the text, so a tampered row cannot pose as another
   * version.
   */
  public static FeatureViewDefinition fromDefinitionText(String definitionText, String location, String gitCommit,
      boolean gitDirty) {
    int cut = definitionText.indexOf(FeatureViewDefinition.SQL_SEPARATOR);
    if (cut < 0) {
      throw new FeatureViewDefinitionException(location + ": stored definition text has no SQL part");
    }
    String yamlText = definitionText.substring(0, cut);
    String sql = definitionText.substring(cut + FeatureViewDefinition.SQL_SEPARATOR.length());
    DefinitionParser.Fields fields = DefinitionParser.parse(yamlText, location);
    String problem = SqlTemplate.problem(sql, fields.name() + ".sql",
        new SqlTemplate.Declared(fields.entities(), fields.eventTimestamp(), fields.sources(), fields.lookbackDays()));
    if (problem != null) {
      throw new FeatureViewDefinitionException(location + ": " + problem);
    }
    return new FeatureViewDefinition(fields.name(), fields.description(), fields.owner(), fields.entities(),
        fields.eventTimestamp(), fields.sources(), fields.lookbackDays(), fields.onlineTtl(), fields.checks(),
        yamlText, sql, location, FeatureViewDefinition.sha256Hex(definitionText), gitCommit, gitDirty);
  }

  /** Relative to the git work tree's root (with '/'), else absolute. */
  private static String displayPath(Path file, Optional<Path> root) {
    if (root.isPresent()) {
      Path real = realPath(file);
      if (real.startsWith(root.get())) {
        return root.get().relativize(real).toString().replace('\\', '/');
      }
    }
    return file.toAbsolutePath().normalize().toString();
  }

  private static Path realPath(Path file) {
    try {
      return file.getParent().toRealPath().resolve(file.getFileName());
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  private static String readUtf8(Path file, String display, String fileName) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new FeatureViewDefinitionException(display + ": cannot read " + fileName + ": " + e.getMessage(), e);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FeatureViewDefinitionException(display + ": " + fileName + " is not valid UTF-8", e);
    }
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
