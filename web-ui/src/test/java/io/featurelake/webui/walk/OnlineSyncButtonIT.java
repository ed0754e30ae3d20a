package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.jobs.JobState;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The online page's Sync button starts the sync as a job ({@code wait => false}) and returns at
 * once, so the session's one gateway connection stays free: with both of the gateway's workers
 * busy on backfills the sync waits PENDING, and the same session's console query is answered
 * meanwhile; the page then watches the job until it SUCCEEDED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineSyncButtonIT {

  private static final Pattern STARTED = Pattern.compile("sync_online user_activity_daily started as job (\\d+)");

  private UiLake lake;
  private PlatformCore core;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.shared();
    core = lake.bean(PlatformCore.class);
    browser = new Browser(lake.uiUrl());
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  /**
   * Re-backfills the lake's whole eight published days of {@code view} without waiting: one of the
   * gateway's two workers is busy with it for several seconds (one day took about 3 s on a fast
   * machine, which let the sync start and finish before the page was looked at).
   */
  private void occupyAWorker(GatewayClient gateway, GatewayClient.Login login, String view) {
    gateway.query(Call.of("start_backfill").name("feature_view", view).date("start_date", LocalDate.of(2023, 1, 1))
        .date("end_date", LocalDate.of(2023, 1, 9)).bool("publish", true).bool("wait", false).sql(), 10, login);
  }

  @Test
  void syncReturnsAtOnceAndTheSessionStaysUsableWhileTheSyncRuns() throws Exception {
    GatewayClient gateway = lake.bean(GatewayClient.class);
    browser.open("online"); // before the workers are taken: the checks below come right after
    try (GatewayClient.Login other = new GatewayClient.Login(System.getProperty("user.name", "tester"), null)) {
      occupyAWorker(gateway, other, "user_activity_daily");
      occupyAWorker(gateway, other, "item_popularity_daily");
    }

    long t0 = System.nanoTime();
    browser.click("#online-sync-user_activity_daily");
    String text = browser.waitForText("started as job", Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Matcher m = STARTED.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    long jobId = Long.parseLong(m.group(1));
    assertThat(took).isLessThan(Duration.ofSeconds(20)); // recorded and queued, not run
    assertThat(browser.currentPath()).isEqualTo("online?job=" + jobId);
    assertThat(browser.find("#online-job-state").getText()).isIn("PENDING", "RUNNING");

    // The same session's next action goes through while the sync waits for a worker.
    browser.open("console?sql=SELECT%201%20AS%20one");
    browser.click("#console-run");
    assertThat(browser.find("#console-status").getText()).startsWith("1 row in");
    PlatformJob meanwhile = core.jobs().get(jobId);
    assertThat(meanwhile.state().isInFlight()).as("job %d after the console query: %s", jobId, meanwhile).isTrue();

    // The page watches the job until it ends (a link brings it back).
    browser.open("online?job=" + jobId);
    browser.find("#online-job-state");
    waitFor(() -> core.jobs().get(jobId).state() == JobState.SUCCEEDED, Duration.ofMinutes(6), jobId);
    // The page's poll shows it within a second or two ("SUCCEEDED" alone may be an older sync's badge).
    waitFor(() -> "SUCCEEDED".equals(jobStateShown()), Duration.ofSeconds(30), jobId);
    String done = browser.bodyText();
    assertThat(browser.find("#online-job-outcome").getText()).startsWith("sync ");
    assertThat(done).contains("CALL lake.platform.job_status(job_id => " + jobId + ")");
    Path png = browser.screenshot("online-sync");
    assertThat(Files.size(png)).as(png + " size").isLessThan(300 * 1024);
  }

  /** The job's badge as the page shows it now; each poll renders it anew, so it is looked up afresh. */
  private String jobStateShown() {
    try {
      return browser.find("#online-job-state").getText();
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return null;
    }
  }

  private void waitFor(java.util.function.BooleanSupplier done, Duration timeout, long jobId) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + jobId + " did not succeed in " + timeout + ": " + core.jobs().get(jobId));
      }
      Thread.sleep(1000);
    }
  }
}
