package io.featurelake.webui.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The notebooks feature's API for the web UI: the notebooks of the project's folder, their last
 * execution, and the executed copy as safe HTML. Everything comes from files: the folder of
 * {@code .ipynb} files and what {@code ./run_notebooks.sh --execute} writes into
 * {@code <home>/notebooks/} (executions.tsv, {@code <name>.html}, {@code <name>.failure}).
 */
public class Notebooks {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern HEADING = Pattern.compile("^#+\\s+(.+)$", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;
  private final Path executed;
  private final String jupyterUrl;

  /**
   * @param folder the folder of the {@code .ipynb} files (the project's {@code notebooks/})
   * @param executed where the executed copies are ({@code <home>/notebooks})
   * @param jupyterUrl the Jupyter server that opens them, e.g. {@code http://127.0.0.1:8888}
   */
  public Notebooks(Path folder, Path executed, String jupyterUrl) {
    this.folder = folder;
    this.executed = executed;
    this.jupyterUrl = jupyterUrl.endsWith("/") ? jupyterUrl.substring(0, jupyterUrl.length() - 1) : jupyterUrl;
  }

  /** Whether {@code name} can be a notebook's name (a plain file name: no path, no leading dot). */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  public Path folder() {
    return folder;
  }

  /** The names of the notebooks in the folder, sorted. */
  public List<String> names() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
          .map(n -> n.substring(0, n.length() - ".ipynb".length())).filter(Notebooks::isName).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The last executions as recorded, with the lines that could not be read. */
  public Executions executions() {
    return Executions.read(executed.resolve(Executions.FILE));
  }

  /** One page of the notebooks with their last execution. */
  public Page<Notebook> list(PageRequest page) {
    Executions runs = executions();
    return Page.of(names(), page).map(n -> new Notebook(n, title(n), runs.of(n)));
  }

  /** The notebook of that name, if the folder has it. */
  public Optional<Notebook> find(String name) {
    if (!isName(name) || !names().contains(name)) {
      return Optional.empty();
    }
    return Optional.of(new Notebook(name, title(name), executions().of(name)));
  }

  /** The executed copy as HTML without scripts, if the notebook was executed. */
  public Optional<String> executedHtml(String name) {
    return readExecuted(name, ".html").map(NotebookHtml::sanitize);
  }

  /** The failing cell and its one-line error, when the last execution failed. */
  public Optional<String> failure(String name) {
    return readExecuted(name, ".failure").map(String::strip).filter(s -> !s.isEmpty());
  }

  /** Where Jupyter opens the notebook (it asks for the token ./run_notebooks.sh printed). */
  public String jupyterLink(String name) {
    return jupyterUrl + "/notebooks/" + name + ".ipynb";
  }

  public String jupyterUrl() {
    return jupyterUrl;
  }

  private Optional<String> readExecuted(String name, String suffix) {
    if (!isName(name)) {
      return Optional.empty();
    }
    Path file = executed.resolve(name + suffix);
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The first markdown heading of the notebook, else its name (an unreadable file keeps its name). */
  String title(String name) {
    try {
      JsonNode cells = JSON.readTree(folder.resolve(name + ".ipynb").toFile()).path("cells");
      for (JsonNode cell : cells) {
        if ("markdown".equals(cell.path("cell_type").asText())) {
          JsonNode source = cell.path("source");
          StringBuilder text = new StringBuilder();
          if (source.isArray()) {
            source.forEach(s -> text.append(s.asText()));
          } else {
            text.append(source.asText());
          }
          var m = HEADING.matcher(text);
          if (m.find()) {
            return m.group(1).strip();
          }
        }
      }
    } catch (IOException e) {
      return name;
    }
    return name;
  }
}
