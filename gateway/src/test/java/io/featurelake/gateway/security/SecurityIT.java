package io.featurelake.gateway.security;

import static io.featurelake.gateway.testing.JdbcRows.execute;
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
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may do what, through the DBeaver driver against a gateway with password authentication:
 * logins, roles, Write-Audit-Publish enforcement, the audit log, injection attempts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

  private static final String VIEW = "user_activity_daily";
  private static final String TABLE = "lake.features." + VIEW;
  private static final String LOGIN_FAILED = "Could not open client transport with JDBC Uri: ";

  private Path home;
  private GatewayServer gateway;
  private SparkSession spark;
  private String url;
  private long publishedRun;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("featurelake-security-it-");
    Path features = Files.createDirectories(home.resolve("features"));
    Path shipped = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath().resolve("sql-catalog/features");
    // Drift checks relaxed: this test is about who may act, and small random days drift apart.
    Files.writeString(features.resolve(VIEW + ".yaml"), Files.readString(shipped.resolve(VIEW + ".yaml"))
        .replace("max_psi: 0.25", "max_psi: 100").replace("max_row_count_change: 0.5", "max_row_count_change: 100"));
    Files.copy(shipped.resolve(VIEW + ".sql"), features.resolve(VIEW + ".sql"));
    int port = TestPorts.free();
    Map<String, String> env = new HashMap<>(TestConfigs.environment(home, port));
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
    FeaturelakeConfig config = TestConfigs.load(home, port, env);

    gateway = GatewayServer.start(config);
    // Users are added while the gateway holds the embedded database open (as --add-user does next to a running gateway).
    CatalogDatabase db = Platform.current().catalogDatabase();
    UserAdministration users = new UserAdministration(new UserRepository(db), new PasswordHasher());
    for (String[] u : new String[][] {{"ada", "admin"}, {"rita", "reader"}, {"eric", "engineer"}, {"paul", "publisher"},
        {"otto", "operator"}, {"dora", "reader"}}) {
      users.add(u[0], u[1], password(u[0]).toCharArray(), "setup");
    }
    new UserRepository(db).setDisabled("dora", true);
    spark = gateway.spark();
    url = gateway.jdbcUrl();
    new EventGenerator().generate(spark, LocalDate.of(2022, 12, 25), LocalDate.of(2023, 1, 4),
        GeneratorOptions.builder().eventsPerDay(2000).users(500).items(50).build());
    try (Connection admin = login("ada")) {
      Map<String, Object> run = query(admin, "CALL lake.platform.start_backfill(feature_view => '" + VIEW
          + "', start_date => '2023-01-01', end_date => '2023-01-02')").get(0);
      assertThat(run).containsEntry("state", "PUBLISHED");
      publishedRun = (Long) run.get("run_id");
      // A branch someone might try to write behind the audit's back (an admin may create it; it is recorded).
      execute(admin, "ALTER TABLE " + TABLE + " CREATE BRANCH sneaky");
      execute(admin, "CREATE NAMESPACE IF NOT EXISTS lake.demo");
      execute(admin, "CREATE TABLE lake.demo.t (id BIGINT, name STRING) USING iceberg");
      execute(admin, "INSERT INTO lake.demo.t VALUES (1, 'one')");
    }
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

  private long mainSnapshot() {
    return spark.sql("SELECT snapshot_id FROM " + TABLE + ".refs WHERE name = 'main'").first().getLong(0);
  }

  private List<Map<String, Object>> auditLog(String user) throws SQLException {
    try (Connection admin = login("ada")) {
      return query(admin, "CALL lake.platform.audit_log(user => '" + user + "', limit => 1000)");
    }
  }

  private static void assertDenied(Connection c, String sql, String message) {
    assertThatThrownBy(() -> query(c, sql)).isInstanceOf(SQLException.class)
        .hasMessage("[PERMISSION_DENIED] " + message);
  }

  @Test
  void wrongPasswordUnknownUserAndDisabledUserFailAlike() throws Exception {
    List<String> messages = new ArrayList<>();
    for (String[] attempt : new String[][] {{"rita", "not-her-password"}, {"nobody", "whatever-password"},
        {"dora", password("dora")}}) {
      String attemptUrl = url;
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> HiveJdbc.connect(attemptUrl, attempt[0], attempt[1]).close());
      messages.add(e.getMessage());
    }
    assertThat(messages.get(0)).startsWith(LOGIN_FAILED + url).doesNotContain("\n").doesNotContain("rita");
    assertThat(messages).containsOnly(messages.get(0));
    assertThat(auditLog("rita")).anySatisfy(e -> assertThat(e).containsEntry("action", "login")
        .containsEntry("outcome", "REFUSED").containsEntry("detail", "wrong password"));
    assertThat(auditLog("nobody")).anySatisfy(e -> assertThat(e).containsEntry("detail", "unknown user"));
    assertThat(auditLog("dora")).anySatisfy(e -> assertThat(e).containsEntry("detail", "user is disabled"));
    // The right password still works after a failure.
    try (Connection c = login("rita")) {
      assertThat(query(c, "SELECT 1 AS one")).containsExactly(Map.of("one", 1));
    }
  }

  @Test
  void readerBrowsesAndQueriesButEveryChangeIsRefused() throws Exception {
    long before = mainSnapshot();
    try (Connection c = login("rita")) {
      assertThat(query(c, "SELECT count(*) AS n FROM " + TABLE).get(0).get("n")).isNotEqualTo(0L);
      assertThat(query(c, "SELECT count(*) AS n FROM " + TABLE + ".snapshots").get(0).get("n")).isNotEqualTo(0L);
      assertThat(query(c, "SELECT count(*) AS n FROM " + TABLE + " VERSION AS OF 'run_" + publishedRun + "'")).hasSize(1);
      assertThat(JdbcRows.read(c.getMetaData().getTables(null, "features", "%", null))).isNotEmpty();
      assertThat(query(c, "CALL lake.platform.list_runs()")).isNotEmpty();
      assertThat(query(c, "CALL lake.platform.lineage_table(table => 'features." + VIEW + "')")).isNotEmpty();

      String rita = "user 'rita' (role reader)";
      String wap = TABLE + " changes only through Write-Audit-Publish, so " + rita + " may not run %s on it; use CALL "
          + "lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => ..., end_date => ...)";
      assertDenied(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => '2023-01-02', "
          + "end_date => '2023-01-03', publish => false)",
          rita + " may not call lake.platform.start_backfill; it needs role engineer or publisher or admin");
      assertDenied(c, "CALL lake.platform.publish(run_id => " + publishedRun + ")",
          rita + " may not call lake.platform.publish; it needs role publisher or admin");
      assertDenied(c, "INSERT INTO " + TABLE + " SELECT * FROM " + TABLE + " LIMIT 1", String.format(wap, "INSERT"));
      assertDenied(c, "DELETE FROM " + TABLE + " WHERE event_date = DATE '2023-01-01'", String.format(wap, "DELETE"));
      assertDenied(c, "DROP TABLE " + TABLE, String.format(wap, "DROP TABLE"));
      assertDenied(c, "CALL lake.system.fast_forward(table => 'features." + VIEW + "', branch => 'main', to => 'run_"
          + publishedRun + "')", String.format(wap, "CALL lake.system.fast_forward"));
      assertDenied(c, "CALL lake.system.rollback_to_snapshot('" + TABLE + "', " + before + ")",
          String.format(wap, "CALL lake.system.rollback_to_snapshot"));
      assertDenied(c, "INSERT INTO " + TABLE + ".branch_sneaky SELECT * FROM " + TABLE + " LIMIT 1",
          String.format(wap.replace(TABLE + " changes", TABLE + ".branch_sneaky changes"), "INSERT"));
      assertDenied(c, "ALTER TABLE " + TABLE + " CREATE BRANCH sneaky", String.format(wap, "CREATE OR REPLACE BRANCH"));
      assertDenied(c, "INSERT INTO lake.demo.t VALUES (2, 'two')",
          rita + " may not run INSERT on lake.demo.t; writing tables needs role engineer or publisher or admin");
      assertDenied(c, "SET spark.sql.catalog.back_door=org.apache.iceberg.spark.SparkCatalog", rita
          + " may not run SET spark.sql.catalog.back_door: only admin may run statements that change anything but tables of the lake catalog");
    }
    assertThat(mainSnapshot()).isEqualTo(before);
    assertThat(spark.sql("SELECT count(*) FROM lake.demo.t").first().getLong(0)).isEqualTo(1L);
    List<Map<String, Object>> refused = auditLog("rita").stream().filter(e -> "REFUSED".equals(e.get("outcome"))
        && !"login".equals(e.get("action"))).toList();
    assertThat(refused).extracting(e -> e.get("action")).contains("call start_backfill", "call publish", "sql INSERT",
        "sql DELETE", "sql DROP TABLE", "sql CALL lake.system.fast_forward", "sql CALL lake.system.rollback_to_snapshot",
        "sql CREATE OR REPLACE BRANCH", "sql SET spark.sql.catalog.back_door");
    assertThat(refused).allSatisfy(e -> assertThat(e).containsEntry("user_name", "rita").containsEntry("role", "reader"));
  }

  @Test
  void engineerStartsButDoesNotPublishAndAPublisherPublishes() throws Exception {
    long before = mainSnapshot();
    long runId;
    try (Connection c = login("eric")) {
      Map<String, Object> run = query(c, "CALL lake.platform.start_backfill(feature_view => '" + VIEW
          + "', start_date => '2023-01-02', end_date => '2023-01-03', publish => false)").get(0);
      assertThat(run).containsEntry("state", "PASSED");
      runId = (Long) run.get("run_id");
      String eric = "user 'eric' (role engineer)";
      assertDenied(c, "CALL lake.platform.start_backfill('" + VIEW + "', '2023-01-02', '2023-01-03')", eric
          + " may not call lake.platform.start_backfill with publish => true; it needs role publisher or admin; call it "
          + "with publish => false and ask a publisher to publish(run_id)");
      assertDenied(c, "CALL lake.platform.publish(run_id => " + runId + ")",
          eric + " may not call lake.platform.publish; it needs role publisher or admin");
      assertDenied(c, "UPDATE " + TABLE + " SET click_count = 0", TABLE + " changes only through Write-Audit-Publish, so "
          + eric + " may not run UPDATE on it; use CALL lake.platform.start_backfill(feature_view => '" + VIEW
          + "', start_date => ..., end_date => ...)");
      // Outside lake.features an engineer writes freely.
      execute(c, "CREATE TABLE lake.demo.eric_scratch (id BIGINT) USING iceberg");
      execute(c, "INSERT INTO lake.demo.eric_scratch VALUES (1)");
      assertThat(query(c, "CALL lake.platform.list_runs(limit => 1)").get(0)).containsEntry("run_id", runId)
          .containsEntry("started_by", "eric");
    }
    assertThat(mainSnapshot()).isEqualTo(before);
    try (Connection c = login("paul")) {
      assertThat(query(c, "CALL lake.platform.publish(run_id => " + runId + ")").get(0)).containsEntry("state", "PUBLISHED");
    }
    assertThat(mainSnapshot()).isNotEqualTo(before);
    assertThat(auditLog("eric")).extracting(e -> e.get("action") + " " + e.get("outcome"))
        .contains("call start_backfill SUCCEEDED", "call start_backfill REFUSED", "call publish REFUSED", "sql UPDATE REFUSED");
    assertThat(auditLog("paul")).anySatisfy(e -> assertThat(e).containsEntry("action", "call publish")
        .containsEntry("outcome", "SUCCEEDED").containsEntry("target", "lake.platform.publish(run_id => " + runId + ")"));
  }

  /** Every kind of direct change to a feature table, by a role that may write other tables. */
  @Test
  void noDirectDmlDdlOrRefMoveOnFeatureTablesForAnEngineer() throws Exception {
    long before = mainSnapshot();
    long snapshotOfRun = spark.sql("SELECT snapshot_id FROM " + TABLE + ".refs WHERE name = 'run_" + publishedRun + "'")
        .first().getLong(0);
    try (Connection c = login("eric")) {
      String wap = TABLE + " changes only through Write-Audit-Publish, so user 'eric' (role engineer) may not run %s on it; "
          + "use CALL lake.platform.start_backfill(feature_view => '" + VIEW + "', start_date => ..., end_date => ...)";
      Map<String, String> attempts = new java.util.LinkedHashMap<>();
      attempts.put("INSERT OVERWRITE " + TABLE + " SELECT * FROM " + TABLE, "INSERT OVERWRITE");
      attempts.put("MERGE INTO " + TABLE + " t USING (SELECT * FROM " + TABLE + " LIMIT 1) s "
          + "ON t.user_id = s.user_id AND t.event_date = s.event_date WHEN MATCHED THEN UPDATE SET t.click_count = 0", "MERGE");
      attempts.put("TRUNCATE TABLE " + TABLE, "TRUNCATE TABLE");
      attempts.put("ALTER TABLE " + TABLE + " ADD COLUMN sneaky INT", "ADD COLUMNS");
      attempts.put("ALTER TABLE " + TABLE + " SET TBLPROPERTIES ('write.wap.enabled' = 'false')", "SET TABLE PROPERTIES");
      attempts.put("CALL lake.system.set_current_snapshot('" + TABLE + "', " + snapshotOfRun + ")",
          "CALL lake.system.set_current_snapshot");
      attempts.put("CALL lake.system.cherrypick_snapshot('features." + VIEW + "', " + snapshotOfRun + ")",
          "CALL lake.system.cherrypick_snapshot");
      attempts.put("CALL lake.system.rewrite_data_files(table => '" + TABLE + "')", "CALL lake.system.rewrite_data_files");
      attempts.put("CALL lake.system.expire_snapshots(table => '" + TABLE + "', retain_last => 1)",
          "CALL lake.system.expire_snapshots");
      for (Map.Entry<String, String> attempt : attempts.entrySet()) {
        assertThatThrownBy(() -> query(c, attempt.getKey())).as(attempt.getKey())
            .hasMessage("[PERMISSION_DENIED] " + String.format(wap, attempt.getValue()));
      }
      // Names resolve as Spark resolves them: after USE, a bare name is still the feature table.
      execute(c, "USE lake.features");
      assertDenied(c, "INSERT INTO " + VIEW + " SELECT * FROM " + VIEW + " LIMIT 1", String.format(wap, "INSERT"));
      // Iceberg procedures that only read stay open, as do Iceberg procedures on other tables.
      assertThat(query(c, "CALL lake.system.ancestors_of('" + TABLE + "')")).isNotEmpty();
      assertThat(query(c, "CALL lake.system.rewrite_manifests(table => 'lake.demo.t')")).hasSize(1);
      assertDenied(c, "INSERT OVERWRITE DIRECTORY '" + home.resolve("warehouse") + "' USING parquet SELECT 1",
          "user 'eric' (role engineer) may not run INSERT INTO DATA SOURCE DIR: only admin may run statements that "
              + "change anything but tables of the lake catalog");
    }
    assertThat(mainSnapshot()).isEqualTo(before);
    assertThat(spark.sql("SELECT count(*) FROM " + TABLE + ".snapshots").first().getLong(0)).isPositive();
  }

  @Test
  void operatorMaintainsButNeitherStartsNorPublishes() throws Exception {
    try (Connection c = login("otto")) {
      String otto = "user 'otto' (role operator)";
      assertDenied(c, "CALL lake.platform.publish(run_id => " + publishedRun + ")",
          otto + " may not call lake.platform.publish; it needs role publisher or admin");
      assertDenied(c, "CALL lake.platform.create_user(user => 'mallory', role => 'admin')",
          otto + " may not call lake.platform.create_user; it needs role admin");
      assertThat(query(c, "CALL lake.platform.run_maintenance(table => '" + VIEW + "', dry_run => true)")).isNotEmpty();
    }
    assertThat(auditLog("otto")).extracting(e -> e.get("action") + " " + e.get("outcome"))
        .contains("call run_maintenance SUCCEEDED", "call publish REFUSED", "call create_user REFUSED");
  }

  @Test
  void adminWritesDirectlyButTheWriteIsRecordedAsOutOfBand() throws Exception {
    try (Connection c = login("ada")) {
      execute(c, "INSERT INTO " + TABLE + " SELECT * FROM " + TABLE + " WHERE event_date = DATE '2023-01-01' LIMIT 1");
      List<Map<String, Object>> commits = query(c, "CALL lake.platform.lineage_table(table => 'features." + VIEW + "', limit => 1)");
      assertThat(commits.get(0)).containsEntry("written_by", "OUTSIDE").containsEntry("run_id", null);
      // reproduce_run sees main no longer holding what the run published for that day.
      Map<String, Object> day = query(c, "CALL lake.platform.reproduce_run(run_id => " + publishedRun + ")").get(0);
      assertThat(day).containsEntry("verdict", "DIFFERS").containsEntry("status", "DIFFERS")
          .containsEntry("main_rows", (Long) day.get("published_rows") + 1);
      assertThat((String) day.get("detail")).startsWith("main differs from the run's output: ")
          .contains("a write outside the platform (snapshot " + commits.get(0).get("snapshot_id") + ", append)");
    }
    assertThat(auditLog("ada")).anySatisfy(e -> assertThat(e).containsEntry("action", "sql INSERT")
        .containsEntry("target", TABLE).containsEntry("outcome", "ALLOWED")
        .containsEntry("detail", "out-of-band: bypasses Write-Audit-Publish"));
  }

  @Test
  void adminsManageUsersAndChangesApplyToOpenSessions() throws Exception {
    try (Connection admin = login("ada")) {
      Map<String, Object> created = query(admin, "CALL lake.platform.create_user(user => 'newbie', role => 'reader')").get(0);
      assertThat(created).containsEntry("user_name", "newbie").containsEntry("role", "reader");
      String generated = (String) created.get("password");
      assertThat(generated).hasSize(20);
      try (Connection newbie = HiveJdbc.connect(url, "newbie", generated)) {
        assertDenied(newbie, "CREATE TABLE lake.demo.newbie (id BIGINT) USING iceberg",
            "user 'newbie' (role reader) may not run CREATE TABLE on lake.demo.newbie; writing tables needs role engineer or publisher or admin");
        assertThat(query(admin, "CALL lake.platform.set_user_role(user => 'newbie', role => 'engineer')").get(0))
            .containsEntry("role", "engineer");
        execute(newbie, "CREATE TABLE lake.demo.newbie (id BIGINT) USING iceberg");
        assertThat(query(admin, "CALL lake.platform.disable_user(user => 'newbie')").get(0)).containsEntry("disabled", true);
        assertDenied(newbie, "SELECT 1", "user 'newbie' (disabled or removed) may run no statement; an admin can enable_user it");
      }
      assertThatThrownBy(() -> HiveJdbc.connect(url, "newbie", generated)).hasMessageStartingWith(LOGIN_FAILED);
      query(admin, "CALL lake.platform.enable_user(user => 'newbie')");
      try (Connection newbie = HiveJdbc.connect(url, "newbie", generated)) {
        assertThat(query(newbie, "SELECT 1 AS one")).hasSize(1);
      }
      assertThat(query(admin, "CALL lake.platform.list_users()")).extracting(r -> r.get("user_name"))
          .contains("ada", "dora", "newbie", "rita");
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.disable_user(user => 'ada')")).hasMessage(
          "[INVALID_STATE] lake.platform.disable_user: an admin cannot disable their own account (ada); ask another admin");
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.set_user_role(user => 'ghost', role => 'admin')"))
          .hasMessage("[NOT_FOUND] lake.platform.set_user_role: user 'ghost' does not exist");
    }
  }

  /** Every payload is either refused with a message that names it, or stored and matched as a plain value. */
  @Test
  void injectionAttemptsInArgumentsAreRefusedOrPlainValues() throws Exception {
    long before = mainSnapshot();
    String longName = "a".repeat(10_000);
    try (Connection admin = login("ada")) {
      Map<String, String> refused = new java.util.LinkedHashMap<>();
      refused.put("CALL lake.platform.create_user(user => 'x\\'; DROP TABLE lake.demo.t; --', role => 'reader')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: user name must be 1 to 64 characters a-z, 0-9, '_', '.' "
              + "or '-' starting with a letter, got 'x'; DROP TABLE lake.demo.t; --'");
      refused.put("CALL lake.platform.create_user(user => '\u0430dmin', role => 'reader')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: user name must be 1 to 64 characters a-z, 0-9, '_', '.' "
              + "or '-' starting with a letter, got '\\u0430dmin'");
      refused.put("CALL lake.platform.create_user(user => 'ad\u200bmin', role => 'admin')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: user name must be 1 to 64 characters a-z, 0-9, '_', '.' "
              + "or '-' starting with a letter, got 'ad\\u200Bmin'");
      refused.put("CALL lake.platform.create_user(user => '" + longName + "', role => 'reader')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: user name must be 1 to 64 characters a-z, 0-9, '_', '.' "
              + "or '-' starting with a letter, got '" + "a".repeat(80) + "'... (10000 characters)");
      refused.put("CALL lake.platform.create_user(user => 'bob', role => 'admin\\' OR \\'1\\'=\\'1')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: unknown role 'admin' OR '1'='1'; roles: reader, engineer, "
              + "publisher, operator, admin");
      refused.put("CALL lake.platform.create_user(user => 'bob', role => 'ADMIN /* comment */')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.create_user: unknown role 'ADMIN /* comment */'; roles: reader, "
              + "engineer, publisher, operator, admin");
      refused.put("CALL lake.platform.set_user_role(user => 'rita\\' --', role => 'admin')",
          "[INVALID_PROCEDURE_ARGUMENT] lake.platform.set_user_role: user name must be 1 to 64 characters a-z, 0-9, '_', "
              + "'.' or '-' starting with a letter, got 'rita' --'");
      for (Map.Entry<String, String> attempt : refused.entrySet()) {
        assertThatThrownBy(() -> query(admin, attempt.getKey())).as(attempt.getKey()).hasMessage(attempt.getValue());
      }
      // Plain values: matched as text, never run.
      assertThat(query(admin, "CALL lake.platform.audit_log(user => '\\' OR 1=1 --')")).isEmpty();
      assertThat(query(admin, "CALL lake.platform.list_runs(feature_view => 'x\\'; DROP TABLE lake.demo.t; --')")).isEmpty();
      assertThat(query(admin, "CALL lake.platform.list_runs(feature_view => 'x' /* , limit => 1 */)")).isEmpty();
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.start_backfill(feature_view => '" + VIEW
          + "; DROP TABLE lake.demo.t', start_date => '2023-01-01', end_date => '2023-01-02')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] feature_view must be a lower-case name like 'user_activity_daily', got '"
              + VIEW + "; DROP TABLE lake.demo.t'");
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.start_backfill(feature_view => '../../../etc/passwd', "
          + "start_date => '2023-01-01', end_date => '2023-01-02')"))
          .hasMessage("[INVALID_PROCEDURE_ARGUMENT] feature_view must be a lower-case name like 'user_activity_daily', got "
              + "'../../../etc/passwd'");
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.describe_table(table => 'demo.t; DROP TABLE lake.demo.t')"))
          .hasMessageStartingWith("[");
      assertThat(query(admin, "CALL lake.platform.list_users()")).extracting(r -> r.get("user_name"))
          .doesNotContain("bob", "x'; DROP TABLE lake.demo.t; --");
      // Two adjacent literals are one value in Spark SQL: 'x''y' is "xy", still a plain (refused) name.
      assertThatThrownBy(() -> query(admin, "CALL lake.platform.create_user(user => 'x''; DROP TABLE lake.demo.t', role => 'reader')"))
          .hasMessageEndingWith("got 'x; DROP TABLE lake.demo.t'");
    }
    // Log-in names are plain values too.
    for (String user : List.of("rita' OR '1'='1", "rita' --", "\u0440ita", longName)) {
      assertThatThrownBy(() -> HiveJdbc.connect(url, user, password("rita")).close()).hasMessageStartingWith(LOGIN_FAILED);
    }
    assertThat(spark.sql("SELECT count(*) FROM lake.demo.t").first().getLong(0)).isEqualTo(1L);
    assertThat(mainSnapshot()).isEqualTo(before);
  }

  @Test
  void userSubstitutionIsRefused() {
    assertThatThrownBy(() -> HiveJdbc.connect(url + ";hive.server2.proxy.user=ada", "rita", password("rita")).close())
        .isInstanceOf(SQLException.class);
  }
}
