package io.featurelake.sqlcatalog.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.testing.CatalogDatabases;
import io.featurelake.sqlcatalog.testing.PostgresTestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Users, logins, grants and the audit log on both catalog databases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserRepositoryIT {

  @TempDir static Path dir;
  private PostgresTestDatabase pg;
  private CatalogDatabase h2;
  private CatalogDatabase postgres;

  @BeforeAll
  void openDatabases() throws Exception {
    h2 = CatalogDatabases.embedded(dir);
    pg = PostgresTestDatabase.create("fl_users_it");
    postgres = CatalogDatabases.migrated(pg);
  }

  @AfterAll
  void dropPostgres() throws Exception {
    pg.close();
  }

  List<CatalogDatabase> databases() {
    return List.of(h2, postgres);
  }

  /** Cheap hashes: these tests are about storage, not cost. */
  private static UserAdministration admin(CatalogDatabase db) {
    return new UserAdministration(new UserRepository(db), new PasswordHasher(1_000));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void usersAreStoredWithHashedPasswordsAndCanBeChanged(CatalogDatabase db) {
    UserRepository users = new UserRepository(db);
    UserAdministration admin = admin(db);
    for (String name : List.of("u_ada", "u_rita", "u_eric", "u_paul")) {
      admin.add(name, "reader", "correct horse battery".toCharArray(), "setup");
    }
    assertThat(users.list()).extracting(PlatformUser::name).contains("u_ada", "u_rita", "u_eric", "u_paul");
    UserRepository.Credentials stored = users.credentials("u_rita").orElseThrow();
    assertThat(stored.passwordHash()).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");

    assertThat(admin.setRole("u_rita", "Publisher").role()).isEqualTo(Role.PUBLISHER);
    assertThat(admin.setDisabled("u_rita", true, "u_ada").disabled()).isTrue();
    assertThatThrownBy(() -> admin.add("u_rita", "reader", "correct horse battery".toCharArray(), "setup"))
        .isInstanceOf(IllegalStateException.class).hasMessage("user 'u_rita' already exists");
    assertThatThrownBy(() -> admin.add("u_short", "reader", "short".toCharArray(), "setup"))
        .hasMessage("password must have at least 12 characters, got 5");
    assertThatThrownBy(() -> admin.add("u_x", "root", "correct horse battery".toCharArray(), "setup"))
        .hasMessage("unknown role 'root'; roles: reader, engineer, publisher, operator, admin");
    assertThatThrownBy(() -> admin.setRole("u_ghost", "reader")).isInstanceOf(UserNotFoundException.class)
        .hasMessage("user 'u_ghost' does not exist");
    assertThatThrownBy(() -> admin.setDisabled("u_ada", true, "u_ada"))
        .hasMessage("an admin cannot disable their own account (u_ada); ask another admin");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void loginFailsAlikeForWrongPasswordUnknownAndDisabledUsersAndRecordsWhy(CatalogDatabase db) {
    admin(db).add("l_rita", "reader", "rita's long password".toCharArray(), "setup");
    admin(db).add("l_dora", "reader", "dora's long password".toCharArray(), "setup");
    new UserRepository(db).setDisabled("l_dora", true);
    AuditLogRepository log = new AuditLogRepository(db);
    List<Long> sleeps = new ArrayList<>();
    PasswordLogin login = new PasswordLogin(new UserRepository(db), log, new PasswordHasher(1_000),
        new LoginThrottle(System::currentTimeMillis, sleeps::add));

    assertThat(assertFails(login, "l_rita", "wrong")).isEqualTo(LoginFailedException.MESSAGE);
    assertThat(assertFails(login, "l_nobody", "whatever")).isEqualTo(LoginFailedException.MESSAGE);
    assertThat(assertFails(login, "l_dora", "dora's long password")).isEqualTo(LoginFailedException.MESSAGE);
    assertThat(assertFails(login, "l_rita' OR '1'='1", "x")).isEqualTo(LoginFailedException.MESSAGE);
    assertThat(assertFails(login, "l_rita", "")).isEqualTo(LoginFailedException.MESSAGE);

    assertThat(log.list("l_rita", "login", 10)).extracting(AuditEntry::detail).containsExactly("wrong password", "wrong password");
    assertThat(log.list("l_nobody", null, 10)).extracting(AuditEntry::detail, AuditEntry::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("unknown user", null));
    assertThat(log.list("l_dora", null, 10)).extracting(AuditEntry::detail).containsExactly("user is disabled");
    try {
      assertThat(login.login("l_rita", "rita's long password".toCharArray())).isEqualTo(new Principal("l_rita", Role.READER));
    } catch (LoginFailedException e) {
      throw new AssertionError(e);
    }
    assertThat(sleeps).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void grantsAreCheckedAndEveryPrivilegedOrRefusedCallIsLogged(CatalogDatabase db) {
    admin(db).add("g_eric", "engineer", "eric's long password".toCharArray(), "setup");
    AccessControl access = new AccessControl(new UserRepository(db), new AuditLogRepository(db), true);
    Principal eric = access.principal("g_eric");
    assertThat(eric).isEqualTo(new Principal("g_eric", Role.ENGINEER));

    long id = access.beginProcedure(eric, "start_backfill", Map.of("publish", false), "lake.platform.start_backfill(...)");
    access.finished(id, true, null);
    assertThat(access.beginProcedure(eric, "list_runs", Map.of(), "lake.platform.list_runs()")).isEqualTo(-1);
    assertThatThrownBy(() -> access.beginProcedure(eric, "start_backfill", Map.of("publish", true), "t"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("user 'g_eric' (role engineer) may not call lake.platform.start_backfill with "
            + "publish => true; it needs role publisher or admin; call it with publish => false and ask a publisher to publish(run_id)");
    assertThatThrownBy(() -> access.beginProcedure(eric, "some_future_procedure", Map.of(), "t"))
        .hasMessage("user 'g_eric' (role engineer) may not call lake.platform.some_future_procedure; "
            + "it needs role admin");
    assertThat(new AuditLogRepository(db).list("g_eric", null, 10)).extracting(AuditEntry::action, AuditEntry::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("call some_future_procedure", AuditEntry.Outcome.REFUSED),
            org.assertj.core.groups.Tuple.tuple("call start_backfill", AuditEntry.Outcome.REFUSED),
            org.assertj.core.groups.Tuple.tuple("call start_backfill", AuditEntry.Outcome.SUCCEEDED));

    assertThat(access.principal("g_nobody").role()).isNull();
    assertThat(new AccessControl(new UserRepository(db), new AuditLogRepository(db), false).principal("anyone"))
        .isEqualTo(new Principal("anyone", Role.ADMIN));
  }

  /** cancel_run: an engineer's own runs only; publishers and operators anyone's; the UI's check records no STARTED entry. */
  @ParameterizedTest
  @MethodSource("databases")
  void anEngineerCancelsOnlyTheirOwnRuns(CatalogDatabase db) {
    AccessControl access = new AccessControl(new UserRepository(db), new AuditLogRepository(db), true);
    Principal erin = new Principal("c_erin", Role.ENGINEER);
    Map<String, Object> run7 = Map.of("run_id", 7L);
    assertThatThrownBy(() -> access.beginProcedure(erin, "cancel_run", run7, "lake.platform.cancel_run(run_id => 7)", "eric"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("user 'c_erin' (role engineer) may not call lake.platform.cancel_run on run 7, which 'eric' started: "
            + "it may cancel only its own runs; anyone's run needs role publisher or operator or admin");
    access.finished(access.beginProcedure(erin, "cancel_run", run7, "t", "c_erin"), true, null);
    access.checkProcedure(new Principal("c_otto", Role.OPERATOR), "cancel_run", run7, "t", "eric");
    access.checkProcedure(new Principal("c_paul", Role.PUBLISHER), "cancel_run", run7, "t", "eric");
    assertThatThrownBy(() -> access.checkProcedure(new Principal("c_rita", Role.READER), "cancel_run", run7, "t", "c_rita"))
        .hasMessage("user 'c_rita' (role reader) may not call lake.platform.cancel_run; it needs role engineer or publisher "
            + "or operator or admin");
    assertThat(new AuditLogRepository(db).list("c_erin", null, 10)).extracting(AuditEntry::outcome)
        .containsExactly(AuditEntry.Outcome.SUCCEEDED, AuditEntry.Outcome.REFUSED);
    assertThat(new AuditLogRepository(db).list("c_otto", null, 10)).isEmpty();
  }

  private static String assertFails(PasswordLogin login, String user, String password) {
    try {
      login.login(user, password.toCharArray());
      throw new AssertionError("login of " + user + " should fail");
    } catch (LoginFailedException e) {
      return e.getMessage();
    }
  }
}
