package io.featurelake.gateway.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.runs.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every notebook in notebooks/ executed headless by {@code ./run_notebooks.sh --execute}, as a user
 * runs it, against a real gateway on small demo data: a published day, a correction of that day
 * (so 01 compares two versions that differ), and a shifted run whose audit fails (so 02 has a real
 * failed audit to explain). 03 writes, as a user's run does: it generates the next day's raw events
 * for its labels, builds a training set, corrects the day (a published run) and rebuilds the set, so
 * the newest run id depends on whether the full execution ran first. A failing cell fails the test.
 * Skips only when the Debian packages are missing and cannot be installed here (./run_tests.sh
 * installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebooksIT {

  private static final String VIEW = "user_activity_daily";
  private static final LocalDate DAY = LocalDate.of(2023, 1, 1);
  private static final String TRAINING_SET = "it_buyers";

  private Path project;
  private Path home;
  private GatewayServer gateway;
  private long failedRun;
  private List<String> failingFeatures;

  @BeforeAll
  void start() throws Exception {
    project = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath();
    String missing = installMissingPackages();
    Assumptions.assumeTrue(missing.isEmpty(), () -> "Notebook tests skipped: Debian packages missing and not installable here ("
        + missing + "); install them with: sudo apt-get install -y " + missing + " (./run_tests.sh does)");
    home = Files.createTempDirectory("featurelake-notebooks-it-");
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", project.resolve("sql-catalog/features").toString());
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    BackfillService backfills = new BackfillService(gateway.spark(), Platform.current());
    // Enough events that the run has more than 100 purchasing users: below that the PSI checks skip.
    generate(12_000, "normal");
    assertThat(backfill(backfills).run().state()).isEqualTo(RunState.PUBLISHED);
    // A corrected upstream day (late events): same items and prices, more events, other rows.
    generate(13_000, "normal");
    assertThat(backfill(backfills).run().state()).isEqualTo(RunState.PUBLISHED);
    generate(13_000, "shifted");
    BackfillResult failed = backfill(backfills);
    // A failed audit keeps its branch for inspection (72 h by default) before it is dropped.
    assertThat(failed.run().state()).isEqualTo(RunState.FAILED);
    assertThat(failed.run().message()).startsWith("audit failed: psi(");
    failedRun = failed.run().runId();
    failingFeatures = failed.report().orElseThrow().failures().stream().filter(c -> c.name().equals("psi"))
        .map(c -> c.column()).toList();
  }

  /**
   * The notebook packages of .ci/debian-packages.sh that are missing, after trying to install them
   * (as root, non-interactively) when apt-get is there; empty when all are installed.
   */
  private String installMissingPackages() throws IOException, InterruptedException {
    String missing = shell("source .ci/debian-packages.sh && featurelake_missing_packages \"$FEATURELAKE_NOTEBOOK_PACKAGES\"");
    if (!missing.isEmpty() && "0".equals(shell("id -u")) && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      System.out.println("NotebooksIT: installing " + missing);
      shell("DEBIAN_FRONTEND=noninteractive apt-get install -y -q " + missing + " >&2");
      missing = shell("source .ci/debian-packages.sh && featurelake_missing_packages \"$FEATURELAKE_NOTEBOOK_PACKAGES\"");
    }
    return missing;
  }

  private String shell(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", script).directory(project.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  private void generate(long eventsPerDay, String mode) {
    new EventGenerator().generate(gateway.spark(), DAY, DAY.plusDays(1),
        GeneratorOptions.builder().eventsPerDay(eventsPerDay).users(3000).items(300).mode(mode).build());
  }

  private BackfillResult backfill(BackfillService service) {
    return service.start(BackfillRequest.of(VIEW, DAY.toString(), DAY.plusDays(1).toString(), true, "test", "tester"),
        ProgressListener.NONE);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void everyNotebookRunsToTheEndAgainstTheGateway() throws Exception {
    Result result = runNotebooks(Map.of("NB_TRAINING_SET", TRAINING_SET), "--execute");

    assertThat(result.exitCode).as(result.output).isZero();
    Path out = home.resolve("notebooks");
    List<String> notebooks;
    try (var files = Files.list(project.resolve("notebooks"))) {
      notebooks = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
          .map(n -> n.substring(0, n.length() - ".ipynb".length())).sorted().toList();
    }
    assertThat(notebooks).contains("01-explore-and-time-travel", "02-why-did-this-audit-fail", "03-training-set");
    List<String> status = Files.readAllLines(out.resolve("executions.tsv"));
    assertThat(status).hasSize(notebooks.size() + 1);
    for (int i = 0; i < notebooks.size(); i++) {
      assertThat(status.get(i + 1)).startsWith(notebooks.get(i) + "\tpassed\t");
      String html = Files.readString(out.resolve(notebooks.get(i) + ".html"));
      assertThat(html).doesNotContainIgnoringCase("<script");
    }

    String explore = Files.readString(out.resolve("01-explore-and-time-travel.ipynb"));
    // The correction re-published the day: the row-by-row comparison finds the changed users.
    assertThat(explore).containsPattern("entity key \\['user_id'\\]; [1-9][0-9,]* rows differ between run_1 and main on 2023-01-01");
    // The bad-input cells show one line each, no Python frames, no Java trace.
    assertThat(errorOutputs(explore)).containsExactly(
        "FeaturelakeError: unknown feature view 'no_such_view'; lake.features has: user_activity_daily",
        "FeaturelakeError: user_activity_daily has no rows in [1999-01-01, 1999-01-02); it holds 2023-01-01 to 2023-01-01",
        "GatewayUnavailable: no featurelake gateway at jdbc:hive2://127.0.0.1:1/ (Connection refused); "
            + "start one with ./run_gateway.sh or set FEATURELAKE_JDBC_URL");
    assertThat(explore).doesNotContain("java.sql.").doesNotContain("Traceback");

    String audit = Files.readString(out.resolve("02-why-did-this-audit-fail.ipynb"));
    assertThat(audit).contains("run " + failedRun + " of user_activity_daily, window [2023-01-01,2023-01-02): FAILED");
    // One figure per failing feature (drawn from the audited snapshot's rows), and main kept the baseline.
    assertThat(failingFeatures).isNotEmpty();
    assertThat(count(audit, "\"image/png\"")).isEqualTo(failingFeatures.size());
    assertThat(audit).contains(failingFeatures.toArray(String[]::new)).contains("psi_from_rows")
        .containsPattern("main holds [0-9,]+ rows for \\[2023-01-01, 2023-01-02\\); the run wrote [0-9,]+");
    assertThat(errorOutputs(audit)).containsExactly("FeaturelakeError: [NOT_FOUND] Unknown run 999999");

    String training = Files.readString(out.resolve("03-training-set.ipynb"));
    // The labels of the next day were generated (the fixture has none), the set built point in time,
    // a model fitted, the day corrected and re-published, and the rebuild asserted identical in a cell.
    assertThat(training).containsPattern("raw events: [0-9,]+ on 2023-01-01, [0-9,]+ on 2023-01-02")
        .containsPattern("[0-9,]+ labels got a feature row, none from after 2023-01-02 00:00:00")
        .containsPattern("ROC AUC on [0-9,]+ held-out users: 0\\.[0-9]{3}")
        .containsPattern("run [0-9]+: PUBLISHED, [0-9,]+ rows, published on main")
        .containsPattern("[1-9][0-9,]* of [0-9,]+ labels with a feature row would get other values from main today")
        .containsPattern("rebuilt [0-9,]+ rows: identical to the set the model was trained on");
    assertThat(errorOutputs(training)).containsExactly("FeaturelakeError: [INVALID_STATE] Training set '" + TRAINING_SET
        + "' already exists (lake.training." + TRAINING_SET + "); choose another name");
  }

  @Test
  void aFailingCellFailsTheRunAndNamesTheCellAndItsError() throws Exception {
    Result result = runNotebooks(Map.of("NB_RUN_ID", "999999"), "--execute", "02-why-did-this-audit-fail");

    assertThat(result.exitCode).as(result.output).isEqualTo(1);
    assertThat(result.output).contains("featurelake notebooks: 02-why-did-this-audit-fail: failed at cell 5 "
        + "(run = lake.latest_failed_run(VIEW or None) if RUN_ID == 0 el): FeaturelakeError: unknown run 999999; "
        + "the latest run is " + latestRun());
    // The executed copy stops at the failing cell and shows its one-line error.
    String copy = Files.readString(home.resolve("notebooks/02-why-did-this-audit-fail.ipynb"));
    assertThat(errorOutputs(copy)).containsExactly("FeaturelakeError: unknown run 999999; the latest run is " + latestRun());
    assertThat(Files.readString(home.resolve("notebooks/executions.tsv"))).contains("02-why-did-this-audit-fail\tfailed\t");
  }

  @Test
  void noGatewayIsOneLineThatNamesTheUrl() throws Exception {
    String url = "jdbc:hive2://127.0.0.1:" + TestPorts.free() + "/";
    Result result = runNotebooks(Map.of("FEATURELAKE_JDBC_URL", url), "--execute");

    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.output.strip()).isEqualTo("featurelake notebooks: no featurelake gateway at " + url
        + " (Connection refused); start one with ./run_gateway.sh or set FEATURELAKE_JDBC_URL");
  }

  @Test
  void anUnknownNotebookNamesTheOnesThereAre() throws Exception {
    Result result = runNotebooks(Map.of(), "--execute", "99-nope");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.output.strip()).isEqualTo("featurelake notebooks: no notebook notebooks/99-nope.ipynb; notebooks: "
        + "01-explore-and-time-travel.ipynb 02-why-did-this-audit-fail.ipynb 03-training-set.ipynb");
  }

  @Test
  void committedNotebooksCarryNoOutputs() throws Exception {
    try (var files = Files.list(project.resolve("notebooks"))) {
      for (Path nb : files.filter(p -> p.toString().endsWith(".ipynb")).toList()) {
        String json = Files.readString(nb);
        assertThat(json).as(nb + ": clear it with jupyter nbconvert --clear-output --inplace")
            .doesNotContain("\"output_type\"").doesNotContainPattern("\"execution_count\": [0-9]");
      }
    }
  }

  /** The newest run: the shifted one, or the correction 03 publishes when every notebook ran before. */
  private long latestRun() {
    return gateway.spark().sql("CALL lake.platform.list_runs(limit => 1)").first().getLong(0);
  }

  /** The one-line tracebacks of a notebook's error outputs, in cell order. */
  private static List<String> errorOutputs(String notebookJson) {
    List<String> lines = new ArrayList<>();
    Matcher m = Pattern.compile("\"output_type\": \"error\",\\s*\"traceback\": \\[\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\]")
        .matcher(notebookJson);
    while (m.find()) {
      lines.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return lines;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private record Result(int exitCode, String output) {}

  private Result runNotebooks(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", project.resolve("run_notebooks.sh").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("FEATURELAKE_HOME", home.toString());
    pb.environment().put("FEATURELAKE_JDBC_URL", gateway.jdbcUrl());
    // The driver jar the build already copied for the tests: no Maven call from inside a test.
    pb.environment().put("FEATURELAKE_JDBC_DRIVER", System.getProperty("featurelake.test.jdbc-driver"));
    pb.environment().putAll(extraEnv);
    Process process = pb.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(20, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
