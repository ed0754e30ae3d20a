package io.featurelake.sqlcatalog.features;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git facts about definition files, from the {@code git} command line. Git is optional: outside a
 * repository, without a git binary, or when git hangs, the answers are "unknown" (no root, no
 * commit, not dirty), never an error.
 */
final class GitMetadata {

  private static final Logger LOG = LoggerFactory.getLogger(GitMetadata.class);

  private final Duration timeout;

  GitMetadata(Duration timeout) {
    this.timeout = timeout;
  }

  /** Root of the work tree containing {@code dir}, as a real path. */
  Optional<Path> workTreeRoot(Path dir) {
    return run(dir, "rev-parse", "--show-toplevel")
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Path::of);
  }

  /** Last commit that touched any of {@code files}, or null when none did. */
  String lastCommit(Path dir, Path... files) {
    List<String> args = new ArrayList<>(List.of("log", "-1", "--format=%H", "--"));
    for (Path file : files) {
      args.add(file.toString());
    }
    return run(dir, args.toArray(new String[0])).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
  }

  /** Whether any of {@code files} is modified, staged or untracked. */
  boolean dirty(Path dir, Path... files) {
    // --no-optional-locks: status must not take index.lock while someone else runs git here.
    List<String> args = new ArrayList<>(List.of("--no-optional-locks", "status", "--porcelain", "--"));
    for (Path file : files) {
      args.add(file.toString());
    }
    return run(dir, args.toArray(new String[0])).map(s -> !s.isBlank()).orElse(false);
  }

  private Optional<String> run(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(devNull()))
          .start();
    } catch (IOException e) {
      LOG.debug("git is not available ({}); definitions get no git metadata", e.getMessage());
      return Optional.empty();
    }
    try (InputStream stdout = process.getInputStream()) {
      // Outputs here are a hash or a few status lines, well below a pipe buffer, so waiting
      // before reading cannot deadlock.
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.warn("'{}' did not finish within {}; definitions get no git metadata", String.join(" ", command), timeout);
        return Optional.empty();
      }
      String out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
      return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.empty();
    }
  }

  private static java.io.File devNull() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
