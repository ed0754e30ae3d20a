package io.featurelake.webui.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionsTest {

  private static final String HEADER = "notebook\tstatus\tfinished_at\tseconds";

  @Test
  void readsTheLastExecutionOfEachNotebook(@TempDir Path dir) throws IOException {
    Path tsv = dir.resolve("executions.tsv");
    Files.write(tsv, List.of(HEADER, "01-explore-and-time-travel\tpassed\t2026-12-01T17:04:05Z\t49",
        "02-why-did-this-audit-fail\tfailed\t2026-12-01T17:05:00Z\t12"));

    Executions e = Executions.read(tsv);

    assertThat(e.problems()).isEmpty();
    assertThat(e.of("01-explore-and-time-travel")).contains(
        new NotebookExecution("01-explore-and-time-travel", true, Instant.parse("2026-12-01T17:04:05Z"), 49));
    assertThat(e.of("02-why-did-this-audit-fail")).contains(
        new NotebookExecution("02-why-did-this-audit-fail", false, Instant.parse("2026-12-01T17:05:00Z"), 12));
    assertThat(e.of("03-training-set")).isEmpty();
  }

  @Test
  void noFileMeansNothingExecutedYet(@TempDir Path dir) {
    Executions e = Executions.read(dir.resolve("executions.tsv"));

    assertThat(e.byNotebook()).isEmpty();
    assertThat(e.problems()).isEmpty();
  }

  @Test
  void badLinesAreNamedWithTheirValueAndTheRestIsRead() {
    Executions e = Executions.parse(List.of(HEADER,
        "01-a\tmaybe\t2026-12-01T17:04:05Z\t49",
        "01-b\tpassed\tyesterday\t49",
        "01-c\tpassed\t2026-12-01T17:04:05Z\t-3",
        "01-d\tpassed\t2026-12-01T17:04:05Z",
        "../etc/passwd\tpassed\t2026-12-01T17:04:05Z\t1",
        "",
        "01-e\tpassed\t2026-12-01T17:04:05Z\t7"));

    assertThat(e.problems()).containsExactly(
        "executions.tsv line 2: status must be passed or failed, got 'maybe'",
        "executions.tsv line 3: finished_at must be a UTC time like 2026-12-01T17:04:05Z, got 'yesterday'",
        "executions.tsv line 4: seconds must be a whole number >= 0, got '-3'",
        "executions.tsv line 5: expected 4 tab-separated fields, got 3 in '01-d passed 2026-12-01T17:04:05Z'",
        "executions.tsv line 6: notebook must be a file name without .ipynb, got '../etc/passwd'");
    assertThat(e.byNotebook()).containsOnlyKeys("01-e");
  }

  @Test
  void anotherHeaderReadsNothingAndSaysWhy() {
    Executions e = Executions.parse(List.of("name\tok", "01-a\tpassed\t2026-12-01T17:04:05Z\t49"));

    assertThat(e.byNotebook()).isEmpty();
    assertThat(e.problems()).containsExactly(
        "executions.tsv: expected the header 'notebook status finished_at seconds', got 'name ok'; nothing read");
  }

  @Test
  void aLaterLineForTheSameNotebookWins() {
    Executions e = Executions.parse(List.of(HEADER, "01-a\tfailed\t2026-12-01T17:00:00Z\t5", "01-a\tpassed\t2026-12-01T18:00:00Z\t40"));

    assertThat(e.of("01-a").orElseThrow().passed()).isTrue();
  }
}
