package io.featurelake.webui.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Notebooks page in a real browser on real executions: {@code ./run_notebooks.sh --execute}
 * runs 02 (the shifted run's failed audit, with its plots) against the fixture's gateway, then 01
 * with a feature view that does not exist (so it fails at a cell); 03 stays never executed. The
 * page shows nbconvert's real output, sanitized, and each of the three states.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebooksPageIT {

  private static final String EXPLORE = "01-explore-and-time-travel";
  private static final String AUDIT = "02-why-did-this-audit-fail";
  private static final String TRAINING = "03-training-set";

  private UiLake lake;
  private Browser browser;
  private Path executed;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.shared();
    String missing = missingNotebookPackages(lake.root());
    Assumptions.assumeTrue(missing.isEmpty(), () -> "Notebook page test skipped: Debian packages missing (" + missing
        + "); ./run_tests.sh installs them: apt-get install -y " + missing);
    // The driver jar the build copied for the UI: no Maven call from inside a test.
    Map<String, String> env = Map.of("FEATURELAKE_JDBC_DRIVER",
        lake.root().resolve("web-ui/target/jdbc-driver/hive-jdbc-standalone.jar").toString());
    lake.script(env, 0, "run_notebooks.sh", "--execute", AUDIT);
    Map<String, String> badView = new java.util.HashMap<>(env);
    badView.put("NB_FEATURE_VIEW", "no_such_view");
    String out = lake.script(badView, 1, "run_notebooks.sh", "--execute", EXPLORE);
    assertThat(out).contains(EXPLORE + ": failed at cell");
    executed = lake.home().resolve("notebooks");
    browser = new Browser(lake.uiUrl());
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  private static String missingNotebookPackages(Path root) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c",
        "source .ci/debian-packages.sh && featurelake_missing_packages \"$FEATURELAKE_NOTEBOOK_PACKAGES\"")
        .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  @Test
  void theListShowsEachNotebooksLastExecution() throws Exception {
    browser.open("notebooks");
    String text = browser.waitForText(AUDIT, Duration.ofSeconds(30));

    assertThat(text).contains("Why did this audit fail?").contains("Explore feature tables and travel back in time")
        .contains(TRAINING).contains("not executed yet").contains("PASSED").contains("FAILED");
    assertThat(browser.gridCells()).contains(EXPLORE, AUDIT, TRAINING, "PASSED", "FAILED", "not executed yet");
    String jupyter = (String) browser.script("return [...document.querySelectorAll('#notebooks a')]"
        + ".filter(a => a.textContent === 'Open in Jupyter')[0].getAttribute('href')");
    assertThat(jupyter).isEqualTo("http://127.0.0.1:8888/notebooks/" + EXPLORE + ".ipynb");
    check(browser.screenshot("notebooks"));
  }

  @Test
  void anExecutedNotebookShowsNbconvertsHtmlWithItsPlotsAndNoScriptsOrStyles() throws Exception {
    String raw = Files.readString(executed.resolve(AUDIT + ".html"));
    // What the sanitizer has to remove is really there: pandas tables come with a <style> element.
    assertThat(raw).contains("<style").contains("data:image/png;base64,");

    browser.open("notebooks/" + AUDIT);
    String text = browser.waitForText("finished", Duration.ofSeconds(30));

    assertThat(text).contains("Why did this audit fail?").contains("PASSED").contains("FAILED")
        .contains("main holds").doesNotContain("Traceback");
    assertThat((Long) browser.script("return document.querySelectorAll('#notebook-html img[src^=\"data:image/png;base64,\"]').length"))
        .isPositive();
    assertThat((Long) browser.script("return document.querySelectorAll('#notebook-html table.dataframe').length")).isPositive();
    assertThat((Long) browser.script("return document.querySelectorAll('#notebook-html script, #notebook-html style, "
        + "#notebook-html [onload], #notebook-html [onerror], #notebook-html [onclick], #notebook-html iframe').length")).isZero();
    assertThat((String) browser.script("return document.querySelector('#notebook-jupyter').getAttribute('href')"))
        .isEqualTo("http://127.0.0.1:8888/notebooks/" + AUDIT + ".ipynb");
    check(browser.screenshot("notebook"));
    browser.script("document.querySelector('#notebook-html img').scrollIntoView({block: 'center'})");
    check(browser.screenshot("notebook-plots"));
  }

  @Test
  void aFailedExecutionNamesTheCellAndItsOneLineError() {
    browser.open("notebooks/" + EXPLORE);
    String text = browser.waitForText("Failed at cell", Duration.ofSeconds(30));

    assertThat(text).contains("FAILED").contains("FeaturelakeError: ").contains("no_such_view").doesNotContain("Traceback");
    // The executed copy ends at the failing cell, and shows its error output.
    assertThat((String) browser.script("return document.querySelector('#notebook-html').innerText")).contains("no_such_view");
  }

  @Test
  void aNotebookNeverExecutedSaysHowToExecuteIt() {
    browser.open("notebooks/" + TRAINING);
    String text = browser.waitForText("Not executed yet", Duration.ofSeconds(30));

    assertThat(text).contains("./run_notebooks.sh --execute " + TRAINING);
    assertThat(browser.all("#notebook-html")).isEmpty();
  }

  @Test
  void anUnknownNotebookGetsTheNotFoundPage() {
    browser.open("notebooks/99-nope");
    assertThat(browser.waitForText("Not found", Duration.ofSeconds(30)))
        .contains("There is no notebook '99-nope'; notebooks: " + EXPLORE + ", " + AUDIT + ", " + TRAINING);
  }

  private static void check(Path png) throws Exception {
    assertThat(Files.size(png)).as(png + " size").isLessThan(300 * 1024);
  }
}
