package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The walk a platform owner takes, in a real browser on a real lake (a week backfilled by the
 * README's script, plus a shifted run whose audit failed): every page shows the real runs, and
 * the screenshots in docs/ui.md come from here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiWalkIT {

  private UiLake lake;
  private Browser browser;
  private PlatformCore core;

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

  private BackfillRun failedRun() {
    return core.runs().list("user_activity_daily", null, PageRequest.first(50)).items().stream()
        .filter(r -> r.reportId() != null && r.publishedSnapshotId() == null && r.state().compareTo(RunState.FAILED) >= 0)
        .findFirst().orElseThrow(() -> new AssertionError("the fixture's shifted run is missing"));
  }

  @Test
  void overviewShowsEveryViewWithItsLatestRunAndTheDoors() throws Exception {
    browser.open("");
    String text = browser.waitForText("Feature views", Duration.ofSeconds(30));
    assertThat(text).contains("user_activity_daily").contains("item_popularity_daily").contains("Gateway")
        .contains("reachable").contains("Recent runs").contains("Alerts");
    assertThat(browser.gridCells()).anyMatch(c -> c.startsWith("run " + failedRun().runId()));
    check(browser.screenshot("overview"));
  }

  @Test
  void aFailedRunsPageShowsTheFailingChecksAndTheShiftedDistribution() throws Exception {
    BackfillRun run = failedRun();
    browser.open("runs/" + run.runId());
    String text = browser.waitForText("Audit report", Duration.ofSeconds(30));
    assertThat(text).contains("FAILED").contains("psi").contains("Distributions against the baseline").contains("State timeline");
    assertThat(browser.gridCells()).contains("FAIL");
    String svg = (String) browser.script("return document.querySelector('#run-plots svg').outerHTML");
    assertThat(svg).contains("this run").contains("baseline").contains("PSI");
    assertThat((Long) browser.script("return document.querySelectorAll('#run-lineage svg rect').length")).isGreaterThan(3);
    check(browser.screenshot("run-failed"));
    browser.script("document.querySelector('#run-plots').scrollIntoView()");
    check(browser.screenshot("run-failed-distributions"));
  }

  @Test
  void aPublishedRunsLineageGoesFromItsInputsToMain() throws Exception {
    BackfillRun run = core.runs().list("user_activity_daily", RunState.PUBLISHED, PageRequest.first(1)).items().get(0);
    browser.open("runs/" + run.runId());
    browser.waitForText("Lineage", Duration.ofSeconds(30));
    String svg = (String) browser.script("return document.querySelector('#run-lineage svg').outerHTML");
    assertThat(svg).contains("lake.raw.events").contains("tag " + run.tag()).contains("snapshot " + run.publishedSnapshotId());
    browser.script("document.querySelector('#run-lineage').scrollIntoView()");
    check(browser.screenshot("run-lineage"));
  }

  @Test
  void featureViewPageShowsDefinitionChecksSchemaAndPartitions() throws Exception {
    browser.open("views/user_activity_daily");
    String text = browser.waitForText("Partitions on main", Duration.ofSeconds(30));
    assertThat(text).contains("ml-platform@example.com").contains("Entity columns").contains("Checks and thresholds")
        .contains("Definition versions").contains("Schema over time");
    assertThat(browser.gridCells()).anyMatch(c -> c.startsWith("event_date_day=2023-01-0"));
    check(browser.screenshot("feature-view"));
  }

  @Test
  void tableHistoryShowsMainsTimelineWithRunTagsAndOpensTheConsoleAsOfASnapshot() throws Exception {
    long head = core.tables().featureTable("user_activity_daily").currentSnapshot().snapshotId();
    browser.open("views/user_activity_daily/history?snapshot=" + head);
    String text = browser.waitForText("Branches and tags", Duration.ofSeconds(30));
    assertThat(text).contains("published by run").contains("Snapshot " + head);
    String timeline = (String) browser.script("return document.querySelector('#history-timeline svg').outerHTML");
    assertThat(timeline).contains("run_");
    check(browser.screenshot("table-history"));
    browser.click("#history-snapshot a");
    browser.waitForText("SQL console", Duration.ofSeconds(30));
    assertThat((String) browser.script("return document.querySelector('#console-sql textarea').value"))
        .isEqualTo("SELECT * FROM lake.features.user_activity_daily VERSION AS OF " + head + " LIMIT 100");
  }

  @Test
  void lineageOfADayNamesTheRunThatWroteItAndItsInputs() throws Exception {
    browser.open("lineage?table=user_activity_daily&day=2023-01-03");
    String text = browser.waitForText("Produced by run", Duration.ofSeconds(30));
    assertThat(text).contains("RUN").contains("lake.raw.events");
    check(browser.screenshot("lineage"));
  }

  @Test
  void onlinePageShowsCursorLagAndVerifiesThroughTheGateway() throws Exception {
    browser.open("online");
    browser.waitForText("Sync history", Duration.ofSeconds(30));
    browser.click("#online-verify-user_activity_daily");
    String result = browser.waitForText("verify_online user_activity_daily:", Duration.ofSeconds(120));
    assertThat(result).contains("missing=0").contains("stale=0");
    check(browser.screenshot("online"));
  }

  @Test
  void maintenanceDryRunShowsThePlanAndChangesNothing() throws Exception {
    long before = core.tables().featureTable("item_popularity_daily").currentSnapshot().snapshotId();
    browser.open("maintenance");
    browser.click("#maintenance-dry-run");
    browser.find("#maintenance-plan vaadin-grid-cell-content");
    browser.waitForText("item_popularity_daily", Duration.ofSeconds(120));
    assertThat(core.tables().featureTable("item_popularity_daily").currentSnapshot().snapshotId()).isEqualTo(before);
    check(browser.screenshot("maintenance"));
  }

  @Test
  void aBackfillStartedFromTheUiIsWatchedUntilPublished() throws Exception {
    browser.open("backfill?view=item_popularity_daily");
    browser.setValue("#backfill-start", "2023-01-03");
    browser.setValue("#backfill-end", "2023-01-04");
    browser.click("#backfill-start-button");
    String text = browser.waitForText("PUBLISHED", Duration.ofMinutes(5));
    assertThat(text).contains("item_popularity_daily [2023-01-03,2023-01-04)");
    assertThat(browser.currentPath()).startsWith("backfill?run=");
    check(browser.screenshot("backfill"));
  }

  @Test
  void aCancelFromTheUiLeavesMainUnchanged() throws Exception {
    long before = core.tables().featureTable("user_activity_daily").currentSnapshot().snapshotId();
    browser.open("backfill?view=user_activity_daily");
    browser.setValue("#backfill-start", "2023-01-01");
    browser.setValue("#backfill-end", "2023-01-08");
    browser.click("#backfill-start-button");
    browser.find("#backfill-cancel");
    browser.click("#backfill-cancel");
    browser.script("document.querySelector('vaadin-confirm-dialog-overlay').querySelector('[slot=confirm-button]').click()");
    String text = browser.waitForText("DROPPED", Duration.ofMinutes(3));
    assertThat(text).contains("cancelled");
    assertThat(core.tables().featureTable("user_activity_daily").currentSnapshot().snapshotId()).isEqualTo(before);
  }

  @Test
  void unknownRunViewAndSnapshotInAUrlGetANotFoundPage() {
    browser.open("runs/999999");
    assertThat(browser.waitForText("Not found", Duration.ofSeconds(10))).contains("There is no run 999999");
    browser.open("views/no_such_view");
    assertThat(browser.waitForText("Not found", Duration.ofSeconds(10))).contains("There is no feature view 'no_such_view'");
    browser.open("views/user_activity_daily/history?snapshot=123");
    assertThat(browser.waitForText("Not found", Duration.ofSeconds(10))).contains("has no snapshot '123'");
  }

  private static void check(Path png) throws Exception {
    assertThat(Files.size(png)).as(png + " size").isLessThan(300 * 1024);
  }
}
