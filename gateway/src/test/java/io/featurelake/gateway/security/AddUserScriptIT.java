package io.featurelake.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.gateway.testing.TestConfigs;
import io.featurelake.gateway.testing.TestPorts;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.PlatformUser;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./run_gateway.sh --add-user NAME --role ROLE} as an operator runs it, no gateway running. */
class AddUserScriptIT {

  private record Result(int exit, String output) {}

  private final Path root = Path.of(System.getProperty("featurelake.test.project-root")).toAbsolutePath().normalize();

  private Result addUser(Path home, Map<String, String> env, String stdin, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("./run_gateway.sh"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().putAll(TestConfigs.environment(home, TestPorts.free()));
    pb.environment().put("FEATURELAKE_SKIP_BUILD", "1");
    pb.environment().remove(AddUserMain.PASSWORD_ENV);
    pb.environment().putAll(env);
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void addsUsersWithPasswordsFromTheEnvironmentOrStandardInputNeverFromArguments() throws Exception {
    Path home = Files.createTempDirectory("featurelake-add-user-it-");
    Result ada = addUser(home, Map.of(AddUserMain.PASSWORD_ENV, "ada-secret-pw-1"), null, "--add-user", "ada", "--role", "admin");
    assertThat(ada.output()).as(ada.output()).contains("featurelake: added user ada with role admin\n");
    assertThat(ada.exit()).isZero();
    Result rita = addUser(home, Map.of(), "rita-secret-pw-1\n", "--add-user", "rita", "--role", "reader");
    assertThat(rita.exit()).as(rita.output()).isZero();

    Result twice = addUser(home, Map.of(AddUserMain.PASSWORD_ENV, "ada-secret-pw-2"), null, "--add-user", "ada", "--role", "admin");
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.output()).contains("featurelake: cannot add user: user 'ada' already exists\n");
    Result shortPassword = addUser(home, Map.of(AddUserMain.PASSWORD_ENV, "short"), null, "--add-user", "eve", "--role", "reader");
    assertThat(shortPassword.exit()).isEqualTo(1);
    assertThat(shortPassword.output()).contains("featurelake: cannot add user: password must have at least 12 characters, got 5\n");
    Result badRole = addUser(home, Map.of(), null, "--add-user", "eve", "--role", "root");
    assertThat(badRole.exit()).isEqualTo(2);
    assertThat(badRole.output()).contains("featurelake: unknown role 'root'; roles: reader, engineer, publisher, operator, admin\n"
        + AddUserMain.USAGE + "\n");
    Result badName = addUser(home, Map.of(AddUserMain.PASSWORD_ENV, "eve-secret-pw-1"), null, "--add-user", "Eve;--", "--role", "reader");
    assertThat(badName.exit()).isEqualTo(1);
    assertThat(badName.output()).contains("featurelake: cannot add user: user name must be 1 to 64 characters a-z, 0-9, '_', "
        + "'.' or '-' starting with a letter, got 'Eve;--'\n");

    CatalogDatabase db = CatalogDatabase.fromConfig(TestConfigs.embedded(home, 10000));
    UserRepository users = new UserRepository(db);
    assertThat(users.list()).extracting(PlatformUser::name, PlatformUser::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ada", Role.ADMIN), org.assertj.core.groups.Tuple.tuple("rita", Role.READER));
    assertThat(users.credentials("ada").orElseThrow().passwordHash()).startsWith("pbkdf2-sha256$600000$").doesNotContain("ada-secret");
  }
}
