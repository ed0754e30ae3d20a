package io.featurelake.webui.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.paging.PageRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a folder of notebooks as the project has it and a state directory as the script writes it. */
class NotebooksTest {

  @TempDir
  Path dir;

  private Notebooks notebooks() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("notebooks"));
    Path executed = Files.createDirectories(dir.resolve("home/notebooks"));
    Files.writeString(folder.resolve("01-first.ipynb"), "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"# not a title\"]},"
        + " {\"cell_type\": \"markdown\", \"source\": [\"Intro\\n\", \"## The first one\\n\", \"text\"]}]}");
    Files.writeString(folder.resolve("02-second.ipynb"), "{\"cells\": []}");
    Files.writeString(folder.resolve("notes.txt"), "not a notebook");
    Files.write(executed.resolve("executions.tsv"), List.of("notebook\tstatus\tfinished_at\tseconds",
        "01-first\tfailed\t2026-12-01T17:00:00Z\t12"));
    Files.writeString(executed.resolve("01-first.html"), "<p onclick=\"x()\">out</p><script>x()</script>");
    Files.writeString(executed.resolve("01-first.failure"), "cell 3 (lake = fl.connect()): GatewayUnavailable: no gateway\n");
    return new Notebooks(folder, executed, "http://127.0.0.1:8888/");
  }

  @Test
  void listsTheNotebooksWithTitleAndLastExecution() throws IOException {
    Notebooks nb = notebooks();

    var page = nb.list(PageRequest.of(0, 10));

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.items()).extracting(Notebook::name).containsExactly("01-first", "02-second");
    assertThat(page.items()).extracting(Notebook::title).containsExactly("The first one", "02-second");
    assertThat(page.items().get(0).lastExecution().orElseThrow().passed()).isFalse();
    assertThat(page.items().get(1).lastExecution()).isEmpty();
    assertThat(nb.list(PageRequest.of(1, 10)).items()).extracting(Notebook::name).containsExactly("02-second");
  }

  @Test
  void showsTheExecutedCopySanitizedAndTheFailure() throws IOException {
    Notebooks nb = notebooks();

    assertThat(nb.executedHtml("01-first")).contains("<div class=\"fl-notebook\"><p>out</p></div>");
    assertThat(nb.failure("01-first")).contains("cell 3 (lake = fl.connect()): GatewayUnavailable: no gateway");
    assertThat(nb.executedHtml("02-second")).isEmpty();
    assertThat(nb.jupyterLink("02-second")).isEqualTo("http://127.0.0.1:8888/notebooks/02-second.ipynb");
  }

  @Test
  void unknownNamesAndPathsAreNotNotebooks() throws IOException {
    Notebooks nb = notebooks();

    assertThat(nb.find("01-first")).isPresent();
    assertThat(nb.find("03-nope")).isEmpty();
    assertThat(nb.find("notes")).isEmpty();
    assertThat(nb.find("../notebooks/01-first")).isEmpty();
    assertThat(nb.executedHtml("../home/notebooks/01-first")).isEmpty();
  }
}
