package io.featurelake.webui.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlConsoleIT {

  private UiLake lake;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.shared();
    browser = new Browser(lake.uiUrl());
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void timeTravelQueryFromThePickerReturnsTheRunsRows() throws Exception {
    browser.open("console");
    browser.type("#tt-table", "user_activity_daily");
    browser.type("#tt-value", "run_2"); // the README order publishes item_popularity_daily first (run 1)
    browser.click("#tt-fill");
    String filled = (String) browser.script("return document.querySelector('#console-sql textarea').value");
    assertThat(filled).isEqualTo("SELECT * FROM lake.features.user_activity_daily VERSION AS OF 'run_2' LIMIT 100");
    browser.click("#console-run");
    String text = browser.waitForText("rows in", Duration.ofSeconds(90));
    assertThat(text).contains("100 rows");
    assertThat(browser.gridCells()).isNotEmpty();
    browser.screenshot("console");
  }

  @Test
  void aBadStatementShowsTheGatewaysOneLineError() {
    browser.open("console?sql=SELECT%20*%20FROM%20lake.features.nope");
    browser.click("#console-run");
    String status = browser.find("#console-status").getText();
    assertThat(status).startsWith("[TABLE_OR_VIEW_NOT_FOUND]").doesNotContain("\n").doesNotContain("at org.");
  }

  @Test
  void anUnknownPageSaysSo() {
    browser.open("no/such/page");
    assertThat(browser.waitForText("Not found", Duration.ofSeconds(10))).contains("There is no page at /no/such/page");
  }
}
