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

  /** What git says about definition files: the work tree's root, the last commit touching them, whether they are dirty. */
  record Facts(Optional<Path> root, String lastCommit, boolean dirty) {
    static final Facts NONE = new Facts(Optional.empty(), null, false);
  }

  /** Root of the work tree containing {@code dir}, as a real path. */
  Optional<Path> workTreeRoot(Path dir) {
    return root(start(dir, "rev-parse", "--show-toplevel").finish());
  }

  /**
   * The root of the work tree containing {@code dir}, and (inside one) the last commit and the
   * dirty state of {@code files}: the three git commands run at the same time, so one load waits for
   * the slowest of them rather than their sum.
   */
  Facts facts(Path dir, Path... files) {
    Started root = start(dir, "rev-parse", "--show-toplevel");
    Started log = start(dir, logArgs(files));
    Started status = start(dir, statusArgs(files));
    Optional<Path> top = root(root.finish());
    if (top.isEmpty()) {
      log.discard();
      status.discard();
      return Facts.NONE;
    }
    return new Facts(top, commit(log.finish()), isDirty(status.finish()));
  }

  /** The last commit and dirty state of {@code files} in a work tree already known to exist (both commands at once). */
  Facts facts(Optional<Path> root, Path dir, Path... files) {
    if (root.isEmpty()) {
      return Facts.NONE;
    }
    Started log = start(dir, logArgs(files));
    Started status = start(dir, statusArgs(files));
    return new Facts(root, commit(log.finish()), isDirty(status.finish()));
  }

  private static Optional<Path> root(Optional<String> out) {
    return out.map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
  }

  private static String commit(Optional<String> out) {
    return out.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
  }

  private static boolean isDirty(Optional<String> out) {
    return out.map(s -> !s.isBlank()).orElse(false);
  }

  private static String[] logArgs(Path... files) {
    List<String> args = new ArrayList<>(List.of("log", "-1", "--format=%H", "--"));
    for (Path file : files) {
      args.add(file.toString());
    }
    return args.toArray(new String[0]);
  }

  private static String[] statusArgs(Path... files) {
    // --no-optional-locks: status must not take index.lock while someone else runs git here.
    List<String> args = new ArrayList<>(List.of("--no-optional-locks", "status", "--porcelain", "--"));
    for (Path file : files) {
      args.add(file.toString());
    }
    return args.toArray(new String[0]);
  }

  /** A started git command (or one that could not start: git missing), to be finished or discarded. */
  private final class Started {
    private final List<String> command;
    private final Process process;
    private final long deadline;

    Started(List<String> command, Process process) {
      this.command = command;
      this.process = process;
      this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** Its standard output if it exited 0 within the timeout; else empty (a hung git is killed). */
    Optional<String> finish() {
      if (process == null) {
        return Optional.empty();
      }
      try (InputStream stdout = process.getInputStream()) {
        // Outputs here are a hash or a few status lines, well below a pipe buffer, so waiting
        // before reading cannot deadlock.
        long left = Math.max(0, deadline - System.nanoTime());
        if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
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

    /** Not needed after all: waits for it to end (killed at the timeout) without reading what it said. */
    void discard() {
      finish();
    }
  }

  private Started start(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      return new Started(command, new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(devNull()))
          .start());
    } catch (IOException e) {
      LOG.debug("git is not available ({}); definitions get no git metadata", e.getMessage());
      return new Started(command, null);
    }
  }

  private static java.io.File devNull() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
