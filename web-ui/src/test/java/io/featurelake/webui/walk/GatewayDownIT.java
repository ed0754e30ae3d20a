package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.status.PlatformStatus;
import io.featurelake.webui.testing.UiLake;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** With the gateway stopped, read pages still answer from the catalog and a banner says what does not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDownIT {

  private UiLake lake;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.sharedWithAnyGateway();
    browser = new Browser(lake.uiUrl());
    lake.stopGateway();
    // The UI re-checks the doors at most every 3 s: wait until it has seen the gateway go.
    PlatformStatus doors = lake.bean(PlatformStatus.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (doors.gatewayUp() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(doors.gatewayUp()).as("the UI still sees the stopped gateway").isFalse();
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    // The gateway stays down: the next class that needs it starts it (UiLake.shared()).
  }

  @Test
  void readPagesWorkAndTheBannerNamesTheGateway() throws Exception {
    browser.open("");
    String text = browser.waitForText("Gateway down", Duration.ofSeconds(30));
    assertThat(text).contains(lake.jdbcUrl()).contains("read pages work").contains("user_activity_daily");
    browser.open("views/user_activity_daily/history");
    assertThat(browser.waitForText("Snapshots", Duration.ofSeconds(30))).contains("Gateway down");
    browser.screenshot("gateway-down");
  }

  @Test
  void anActionNeedingTheGatewaySaysItIsNotReachable() {
    browser.open("console?sql=SELECT%201");
    browser.click("#console-run");
    assertThat(browser.find("#console-status").getText())
        .isEqualTo("The gateway at " + lake.jdbcUrl() + " is not reachable (is ./run_gateway.sh running?)");
  }
}
