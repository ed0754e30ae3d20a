package io.featurelake.webui.notebooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code executions.tsv} says: the last execution per notebook, and one line per line of the
 * file that could not be read (the page shows them instead of failing, and shows the rest).
 *
 * <p>The file is tab-separated with the header {@code notebook status finished_at seconds};
 * {@code status} is {@code passed} or {@code failed}, {@code finished_at} an ISO instant (UTC).
 */
public record Executions(Map<String, NotebookExecution> byNotebook, List<String> problems) {

  static final String FILE = "executions.tsv";
  static final String HEADER = "notebook\tstatus\tfinished_at\tseconds";

  public Executions {
    byNotebook = Map.copyOf(byNotebook);
    problems = List.copyOf(problems);
  }

  public Optional<NotebookExecution> of(String notebook) {
    return Optional.ofNullable(byNotebook.get(notebook));
  }

  /** Reads the file; a missing file means nothing was executed yet. */
  public static Executions read(Path tsv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Executions(Map.of(), List.of());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + tsv + ": " + e.getMessage(), e);
    }
    return parse(lines);
  }

  static Executions parse(List<String> lines) {
    if (lines.isEmpty()) {
      return new Executions(Map.of(), List.of());
    }
    if (!lines.get(0).strip().equals(HEADER)) {
      return new Executions(Map.of(), List.of(FILE + ": expected the header '" + HEADER.replace('\t', ' ')
          + "', got '" + lines.get(0).replace('\t', ' ') + "'; nothing read"));
    }
    Map<String, NotebookExecution> executions = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        NotebookExecution e = parseLine(line);
        executions.put(e.notebook(), e); // a later line for the same notebook is the later execution
      } catch (IllegalArgumentException e) {
        problems.add(FILE + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new Executions(executions, problems);
  }

  private static NotebookExecution parseLine(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 4) {
      throw new IllegalArgumentException("expected 4 tab-separated fields, got " + f.length + " in '" + line.replace('\t', ' ') + "'");
    }
    if (!Notebooks.isName(f[0])) {
      throw new IllegalArgumentException("notebook must be a file name without .ipynb, got '" + f[0] + "'");
    }
    boolean passed = switch (f[1]) {
      case "passed" -> true;
      case "failed" -> false;
      default -> throw new IllegalArgumentException("status must be passed or failed, got '" + f[1] + "'");
    };
    Instant finished;
    try {
      finished = Instant.parse(f[2]);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("finished_at must be a UTC time like 2026-12-01T17:04:05Z, got '" + f[2] + "'");
    }
    long seconds;
    try {
      seconds = Long.parseLong(f[3]);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must be a whole number >= 0, got '" + f[3] + "'");
    }
    return new NotebookExecution(f[0], passed, finished, seconds);
  }
}
