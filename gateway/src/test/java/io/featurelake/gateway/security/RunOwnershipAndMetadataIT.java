package io.featurelake.gateway.security;

import static io.featurelake.gateway.testing.JdbcRows.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.server.GatewayServer;
import io.featurelake.gateway.session.Platform;
import io.featurelake.gateway.testing.HiveJdbc;
import io.featurelake.gateway.testing.JdbcRows;
import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestFeatures;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14's gateway leftovers, through the DBeaver driver against a gateway with passwords:
 * {@code cancel_run} lets an engineer cancel only their own runs (publishers, operators and admins
 * anyone's), and JDBC metadata calls follow the read grant. Refusals are in {@code audit_log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunOwnershipAndMetadataIT {

  /** A view whose run computes for minutes, so a cancel always meets it in flight. */
  private static final String SLOW = "slow_view";

  private GatewayServer gateway;
  private String url;

  @BeforeAll
  void start() throws Exception {
    Path home = Files.createTempDirectory("featurelake-run-owner-it-");
    Path features = home.resolve("features");
    TestFeatures.copyRelaxed(features, "user_activity_daily");
    Files.writeString(features.resolve(SLOW + ".yaml"), "name: " + SLOW + "\ndescription: slow test view\n"
        + "owner: test@example.com\nlookback_days: 0\nentities: [user_id]\nevent_timestamp: event_date\n"
        + "sources: [lake.raw.events]\nchecks:\n  min_row_count: 1\n  max_null_rate: 1.0\n  max_duplicate_keys: 0\n"
        + "  max_psi: 1000\n  max_row_count_change: 1000\n");
    Files.writeString(features.resolve(SLOW + ".sql"),
        "SELECT user_id, event_date, count(*) AS n FROM (\n"
            + "  SELECT id % 5000 AS user_id, DATE '${start_date}' AS event_date FROM range(0, 20000000000)\n"
            + ") CROSS JOIN (SELECT count(*) AS c FROM lake.raw.events WHERE event_ts < TIMESTAMP '2000-01-01')\n"
            + "WHERE DATE '${start_date}' < DATE '${end_date}'\nGROUP BY user_id, event_date\n");
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
    env.put("FEATURELAKE_RUNS_WORKERS", "1");
    gateway = GatewayServer.start(TestConfigs.load(home, port, env));
    CatalogDatabase db = Platform.current().catalogDatabase();
    UserAdministration users = new UserAdministration(new UserRepository(db), new PasswordHasher());
    for (String[] u : new String[][] {{"ada", "admin"}, {"rita", "reader"}, {"eric", "engineer"}, {"erin", "engineer"},
        {"otto", "operator"}, {"mona", "reader"}}) {
      users.add(u[0], u[1], password(u[0]).toCharArray(), "setup");
    }
    url = gateway.jdbcUrl();
    new EventGenerator().generate(gateway.spark(), LocalDate.of(2023, 1, 1), LocalDate.of(2023, 1, 3),
        GeneratorOptions.builder().eventsPerDay(500).users(100).items(20).build());
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String password(String user) {
    return user + "-secret-pw-1";
  }

  private Connection login(String user) throws SQLException {
    return HiveJdbc.connect(url, user, password(user));
  }

  private static long startSlowRun(Connection c) throws SQLException {
    Map<String, Object> run = query(c, "CALL lake.platform.start_backfill(feature_view => '" + SLOW
        + "', start_date => '2023-01-01', end_date => '2023-01-02', publish => false, wait => false)").get(0);
    return (Long) run.get("run_id");
  }

  private static String cancel(long runId) {
    return "CALL lake.platform.cancel_run(run_id => " + runId + ")";
  }

  private List<Map<String, Object>> auditLog(String user) throws SQLException {
    try (Connection admin = login("ada")) {
      return query(admin, "CALL lake.platform.audit_log(user => '" + user + "', limit => 1000)");
    }
  }

  @Test
  void anEngineerCancelsOnlyTheirOwnRunsAndAnOperatorCancelsAnyone() throws Exception {
    long ericsRun;
    try (Connection eric = login("eric")) {
      ericsRun = startSlowRun(eric);
    }
    try (Connection erin = login("erin"); Connection rita = login("rita")) {
      assertThatThrownBy(() -> query(erin, cancel(ericsRun))).hasMessage("[PERMISSION_DENIED] user 'erin' (role engineer) "
          + "may not call lake.platform.cancel_run on run " + ericsRun + ", which 'eric' started: it may cancel only its own "
          + "runs; anyone's run needs role publisher or operator or admin");
      assertThatThrownBy(() -> query(rita, cancel(ericsRun))).hasMessage("[PERMISSION_DENIED] user 'rita' (role reader) "
          + "may not call lake.platform.cancel_run; it needs role engineer or publisher or operator or admin");
      assertThat(query(erin, "CALL lake.platform.run_status(run_id => " + ericsRun + ")").get(0).get("state"))
          .isIn("PENDING", "COMPUTING");
    }
    // Cancelled: FAILED at once, DROPPED once its Spark jobs stopped (AsyncRunsIT follows that; a loaded machine may take over the minute cancel_run waits).
    try (Connection otto = login("otto")) {
      Map<String, Object> cancelled = query(otto, cancel(ericsRun)).get(0);
      assertThat(cancelled).containsEntry("message", "cancelled by otto");
      assertThat(cancelled.get("state")).isIn("FAILED", "DROPPED");
    }
    try (Connection eric = login("eric")) {
      long own = startSlowRun(eric);
      Map<String, Object> cancelled = query(eric, cancel(own)).get(0);
      assertThat(cancelled).containsEntry("message", "cancelled by eric");
      assertThat(cancelled.get("state")).isIn("FAILED", "DROPPED");
      assertThat(query(eric, "CALL lake.platform.list_runs(limit => 2)")).extracting(r -> r.get("started_by"))
          .containsOnly("eric");
    }
    assertThat(auditLog("erin")).anySatisfy(e -> assertThat(e).containsEntry("action", "call cancel_run")
        .containsEntry("outcome", "REFUSED").containsEntry("target", "lake.platform.cancel_run(run_id => " + ericsRun + ")"));
    assertThat(auditLog("rita")).anySatisfy(e -> assertThat(e).containsEntry("action", "call cancel_run")
        .containsEntry("outcome", "REFUSED"));
    assertThat(auditLog("otto")).anySatisfy(e -> assertThat(e).containsEntry("action", "call cancel_run")
        .containsEntry("outcome", "SUCCEEDED"));
  }

  @Test
  void metadataCallsFollowTheReadGrantOfTheSessionsUser() throws Exception {
    try (Connection mona = login("mona"); Connection admin = login("ada")) {
      DatabaseMetaData md = mona.getMetaData();
      assertThat(JdbcRows.read(md.getSchemas("lake", "%"))).isNotEmpty();
      assertThat(JdbcRows.read(md.getTables(null, "raw", "%", null))).extracting(r -> r.get("TABLE_NAME")).contains("events");
      assertThat(JdbcRows.read(md.getColumns(null, "raw", "events", "%"))).isNotEmpty();

      query(admin, "CALL lake.platform.disable_user(user => 'mona')");
      String disabled = "[PERMISSION_DENIED] user 'mona' (disabled or removed) may not call %s; an admin can enable_user it";
      assertThatThrownBy(() -> md.getSchemas("lake", "%")).hasMessage(String.format(disabled, "getSchemas"));
      assertThatThrownBy(() -> md.getTables(null, "raw", "%", null)).hasMessage(String.format(disabled, "getTables"));
      assertThatThrownBy(() -> md.getColumns(null, "raw", "events", "%")).hasMessage(String.format(disabled, "getColumns"));

      query(admin, "CALL lake.platform.enable_user(user => 'mona')");
      assertThat(JdbcRows.read(md.getTables(null, "raw", "%", null))).isNotEmpty();
    }
    assertThat(auditLog("mona")).extracting(e -> e.get("action") + " " + e.get("outcome"))
        .contains("metadata getSchemas REFUSED", "metadata getTables REFUSED", "metadata getColumns REFUSED");
  }
}
