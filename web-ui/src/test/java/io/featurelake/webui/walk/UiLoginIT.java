package io.featurelake.webui.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.sqlcatalog.security.AuditEntry;
import io.featurelake.sqlcatalog.security.AuditLogRepository;
import io.featurelake.sqlcatalog.security.LoginFailedException;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.sqlcatalog.security.UserRepository;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.testing.Browser;
import io.featurelake.webui.testing.UiLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web UI with login on, against the gateway with passwords (users added by
 * {@code ./run_gateway.sh --add-user}), in headless Chromium: the login page and its one-line
 * refusal, what a reader sees and may not open, an engineer's backfill recorded under their
 * name, the server-side re-check of an action after a role change, logout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiLoginIT {

  private static final String GATEWAY_REFUSAL_PREFIX = "[PERMISSION_DENIED] ";

  private UiLake lake;
  private ConfigurableApplicationContext ui;
  private String url;
  private PlatformCore core;
  private UserRepository users;

  @BeforeAll
  void start() throws Exception {
    lake = UiLake.sharedWithAnyGateway();
    lake.stopGateway();
    UserRepository existing = new UserRepository(lake.bean(PlatformCore.class).database());
    for (String[] u : new String[][] {{"ada", "admin"}, {"rita", "reader"}, {"eric", "engineer"}, {"paul", "publisher"}}) {
      if (existing.find(u[0]).isPresent()) {
        continue; // a lake kept from an earlier run (featurelake.test.existing-home)
      }
      lake.script(Map.of("FEATURELAKE_NEW_USER_PASSWORD", password(u[0])), 0, "run_gateway.sh", "--add-user", u[0],
          "--role", u[1]);
    }
    lake.restartGateway(Map.of("FEATURELAKE_GATEWAY_AUTHENTICATION", "password"));
    ui = lake.startAnotherUi(Map.of("featurelake.ui.login", "password"));
    url = UiLake.uiUrl(ui);
    core = ui.getBean(PlatformCore.class);
    users = new UserRepository(core.database());
    // A fresh gateway's first session is slow to open and close (Hive's metastore starts): not in a browser's wait.
    try (GatewayClient.Login ada = new GatewayClient.Login("ada", password("ada").toCharArray())) {
      ui.getBean(GatewayClient.class).query("SELECT 1", 1, ada);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (ui != null) {
      ui.close();
    }
    // The gateway keeps its passwords: the next class that needs the plain one restarts it (UiLake.shared()).
  }

  private static String password(String user) {
    return user + "-ui-secret-1";
  }

  private static void login(Browser b, String user, String password) {
    WebElement name = b.find("#login-form vaadin-text-field[name=username] input");
    name.clear();
    name.sendKeys(user);
    WebElement secret = b.find("#login-form vaadin-password-field[name=password] input");
    secret.clear();
    secret.sendKeys(password, Keys.ENTER);
    b.waitForVaadin();
  }

  private Browser loggedIn(String user) throws Exception {
    Browser b = new Browser(url);
    b.open("login");
    login(b, user, password(user));
    b.waitForText(user + " · ", Duration.ofSeconds(30));
    return b;
  }

  private List<AuditEntry> audit(String user) {
    return new AuditLogRepository(core.database()).list(user, null, 1000);
  }

  private BackfillRun failedRun() {
    return core.runs().list("user_activity_daily", null, PageRequest.first(50)).items().stream()
        .filter(r -> r.reportId() != null && r.publishedSnapshotId() == null && r.state() == RunState.FAILED)
        .findFirst().orElseThrow(() -> new AssertionError("the fixture's shifted run is missing"));
  }

  @Test
  void everyPageAsksForALoginAndAWrongPasswordGetsTheGatewaysOneLineMessage() throws Exception {
    try (Browser b = new Browser(url)) {
      b.open("runs");
      assertThat(b.currentPath()).isEqualTo("login");
      b.find("#login-form");

      login(b, "rita", "not-her-password");
      Object error = b.script("var f = document.querySelector('vaadin-login-form'); "
          + "return f.error ? f.i18n.errorMessage.title + ' / ' + f.i18n.errorMessage.message : null;");
      // The gateway's one line, said once: "Login failed" as the title, the reason below it.
      assertThat(error).isEqualTo("Login failed / Wrong user name or password, or the user is disabled.");
      assertThat(LoginFailedException.MESSAGE).isEqualTo("Login failed: wrong user name or password, or the user is disabled");
      // The alert as rendered: the wrapper's error part, wherever the form's shadow roots put it.
      Object shown = b.script("function find(root) { var m = root.querySelector('[part=error-message]'); if (m) { return m; }"
          + " var all = root.querySelectorAll('*'); for (var i = 0; i < all.length; i++) {"
          + " if (all[i].shadowRoot) { var r = find(all[i].shadowRoot); if (r) { return r; } } } return null; }"
          + "var m = find(document); return m ? m.innerText || m.textContent : null;");
      assertThat((String) shown).isNotNull().containsOnlyOnce("Login failed").contains("Wrong user name or password");
      Path shot = b.screenshot("login");
      assertThat(Files.size(shot)).isLessThan(300 * 1024);
      login(b, "nobody", "whatever-password");
      assertThat(b.script("return document.querySelector('vaadin-login-form').error")).isEqualTo(true);
      assertThat(b.currentPath()).isEqualTo("login");
      assertThat(audit("rita")).anySatisfy(e -> assertThat(e.action() + " " + e.outcome() + " " + e.detail())
          .isEqualTo("login REFUSED wrong password"));
      assertThat(audit("nobody")).anySatisfy(e -> assertThat(e.detail()).isEqualTo("unknown user"));

      // The right password goes on to the page that was asked for.
      login(b, "rita", password("rita"));
      b.waitForText("rita · reader", Duration.ofSeconds(30));
      assertThat(b.currentPath()).isEqualTo("runs");
    }
  }

  @Test
  void aReaderSeesNoActionsAndADirectUrlToAnActionPageIsRefused() throws Exception {
    try (Browser b = loggedIn("rita")) {
      b.open("runs/" + failedRun().runId());
      b.waitForText("Audit report", Duration.ofSeconds(30));
      assertThat(b.all("#run-override, #run-drop, #run-publish, #run-cancel, #run-reaudit")).isEmpty();
      assertThat(b.bodyText()).doesNotContain("Backfill").contains("rita · reader").contains("Log out");
      b.open("online");
      b.waitForText("Sync history", Duration.ofSeconds(30));
      assertThat(b.all("[id^=online-sync-], [id^=online-verify-]")).isEmpty();
      b.open("maintenance");
      b.waitForText("Reports", Duration.ofSeconds(30));
      assertThat(b.all("#maintenance-dry-run")).isEmpty();

      b.open("backfill?view=user_activity_daily");
      b.waitForText("Not allowed", Duration.ofSeconds(30));
      assertThat(b.find("#not-allowed-message").getText()).isEqualTo("user 'rita' (role reader) may not open /backfill: "
          + "starting backfills needs role engineer or publisher or admin");
      assertThat(b.all("#backfill-start-button")).isEmpty();
    }
    assertThat(audit("rita")).anySatisfy(e -> assertThat(e.action() + " " + e.outcome()).isEqualTo("web-ui /backfill REFUSED"));
  }

  @Test
  void anEngineerStartsABackfillUnderTheirOwnNameAndLogsOut() throws Exception {
    long runId;
    try (Browser b = loggedIn("eric")) {
      b.open("backfill?view=item_popularity_daily");
      assertThat(b.script("return document.querySelector('#backfill-publish').checked")).isEqualTo(false);
      assertThat(b.script("return document.querySelector('#backfill-publish').disabled")).isEqualTo(true);
      b.setValue("#backfill-start", "2023-01-06");
      b.setValue("#backfill-end", "2023-01-07");
      b.click("#backfill-start-button");
      b.waitForText("PASSED", Duration.ofMinutes(5));
      assertThat(b.currentPath()).startsWith("backfill?run=");
      runId = Long.parseLong(b.currentPath().substring("backfill?run=".length()));
      b.open("runs/" + runId);
      assertThat(b.waitForText("by eric", Duration.ofSeconds(30))).contains("eric · engineer");
      // An engineer re-audits a passed run but does not publish it.
      assertThat(b.all("#run-reaudit")).hasSize(1);
      assertThat(b.all("#run-publish")).isEmpty();

      b.click("#fl-logout");
      b.waitForText("You are logged out.", Duration.ofSeconds(30));
      assertThat(b.currentPath()).isEqualTo("login?logged-out");
      b.open("runs/" + runId);
      assertThat(b.currentPath()).isEqualTo("login");
    }
    assertThat(core.runs().find(runId).orElseThrow().startedBy()).isEqualTo("eric");
    assertThat(audit("eric")).anySatisfy(e -> assertThat(e.action() + " " + e.outcome() + " " + e.target())
        .startsWith("call start_backfill SUCCEEDED lake.platform.start_backfill(feature_view => 'item_popularity_daily'"));
    // The run waits for a publisher: one publishes it (through the gateway), so no run stays in flight.
    GatewayClient gateway = ui.getBean(GatewayClient.class);
    try (GatewayClient.Login paul = new GatewayClient.Login("paul", password("paul").toCharArray())) {
      assertThat(gateway.query("CALL lake.platform.publish(run_id => " + runId + ")", 10, paul).first("state"))
          .isEqualTo("PUBLISHED");
    }
  }

  @Test
  void anActionIsCheckedAgainOnTheServerWhenTheRoleChangedAfterThePageWasShown() throws Exception {
    BackfillRun failed = failedRun();
    try (Browser b = loggedIn("paul")) {
      b.open("runs/" + failed.runId());
      b.find("#run-drop");
      users.setRole("paul", Role.READER);
      Thread.sleep(2_500); // the role is read again after at most 2 s
      b.click("#run-drop");
      b.script("document.querySelector('vaadin-confirm-dialog-overlay').querySelector('[slot=confirm-button]').click()");
      b.waitForVaadin();
      String message = b.waitForText("may not call lake.platform.drop_run", Duration.ofSeconds(30));
      // The UI's own refusal (the gateway's would start with its error class).
      assertThat(message).contains("user 'paul' (role reader) may not call lake.platform.drop_run; it needs role publisher or admin")
          .doesNotContain(GATEWAY_REFUSAL_PREFIX);
    } finally {
      users.setRole("paul", Role.PUBLISHER);
    }
    assertThat(core.runs().find(failed.runId()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    assertThat(audit("paul")).anySatisfy(e -> assertThat(e.action() + " " + e.outcome()).isEqualTo("call drop_run REFUSED"));
  }
}
