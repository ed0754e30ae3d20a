package io.featurelake.gateway.session;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars executors need beyond a Spark distribution, found where this JVM loaded them from, so
 * that a session on a cluster ships them itself ({@code spark.jars}): no copying to workers, no
 * {@code --jars}. When the platform runs from a build's class directories (an IDE, the tests),
 * each directory is packed into a jar under the scratch directory first.
 */
public final class ExecutorJars {

  /**
   * One class of each jar the executors load: the platform's two modules (procedures' functions,
   * the guarded Redis writers), Iceberg's Spark runtime, and the Redis client with its pool.
   */
  static final List<String> MARKERS = List.of(
      "io.featurelake.gateway.session.ExecutorJars",
      "io.featurelake.sqlcatalog.config.FeaturelakeConfig",
      "org.apache.iceberg.spark.SparkCatalog",
      "redis.clients.jedis.Jedis",
      "org.apache.commons.pool2.impl.GenericObjectPool");

  private ExecutorJars() {}

  /** True for masters whose executors run in other JVMs (everything but {@code local[...]}). */
  public static boolean needed(String master) {
    return !master.startsWith("local");
  }

  /**
   * The value for {@code spark.jars}: {@code existing} (a user's own list, may be empty) followed
   * by the platform's jars; class directories are packed into {@code packDir}.
   */
  public static String sparkJars(String existing, Path packDir) {
    Set<String> jars = new LinkedHashSet<>();
    if (existing != null && !existing.isBlank()) {
      for (String j : existing.split(",")) {
        if (!j.isBlank()) {
          jars.add(j.trim());
        }
      }
    }
    for (Path location : locations()) {
      Path jar = Files.isDirectory(location) ? pack(location, packDir) : location;
      jars.add(jar.toUri().toString());
    }
    return String.join(",", jars);
  }

  /** Where each marker class was loaded from (a jar file or a class directory), without repeats. */
  static List<Path> locations() {
    Set<Path> paths = new LinkedHashSet<>();
    for (String name : MARKERS) {
      Class<?> type;
      try {
        type = Class.forName(name, false, ExecutorJars.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("Cannot ship " + name + " to executors: it is not on this JVM's class path", e);
      }
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new IllegalStateException("Cannot ship " + name + " to executors: its class has no code source");
      }
      try {
        paths.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("Cannot ship " + name + " to executors: code source " + source.getLocation(), e);
      }
    }
    return new ArrayList<>(paths);
  }

  /**
   * Packs a class directory ({@code <module>/target/classes}) into {@code <packDir>/<module>-classes.jar},
   * rewritten at every session start so it always matches the classes the driver runs.
   */
  static Path pack(Path classes, Path packDir) {
    Path module = classes.getParent() != null && classes.getParent().getParent() != null
        ? classes.getParent().getParent().getFileName() : classes.getFileName();
    Path jar = packDir.resolve(module + "-" + classes.getFileName() + ".jar");
    try {
      Files.createDirectories(packDir);
      Path partial = Files.createTempFile(packDir, module.toString(), ".jar.partial");
      try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out);
          Stream<Path> files = Files.walk(classes)) {
        for (Path file : (Iterable<Path>) files.sorted()::iterator) {
          String name = classes.relativize(file).toString().replace('\\', '/');
          if (name.isEmpty()) {
            continue;
          }
          boolean dir = Files.isDirectory(file);
          zip.putNextEntry(new JarEntry(dir ? name + "/" : name));
          if (!dir) {
            Files.copy(file, zip);
          }
          zip.closeEntry();
        }
      }
      // Replaced whole: an executor fetching the jar never sees half of it.
      Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot pack the class directory " + classes + " into " + jar + " for the executors", e);
    }
  }
}
