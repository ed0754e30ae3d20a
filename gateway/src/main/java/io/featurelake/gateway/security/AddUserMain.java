package io.featurelake.gateway.security;

import io.featurelake.gateway.cli.CliArgs;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.AuditEntry;
import io.featurelake.sqlcatalog.security.AuditLogRepository;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.PlatformUser;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ./run_gateway.sh --add-user NAME --role ROLE}: adds a gateway user to the catalog
 * database, no gateway or Spark needed. The password comes from {@value #PASSWORD_ENV}, else a
 * prompt on the terminal (asked twice), else one line on standard input; never from an argument,
 * which other users of the machine could read in the process list.
 */
public final class AddUserMain {

  public static final String PASSWORD_ENV = "FEATURELAKE_NEW_USER_PASSWORD";
  static final String USAGE = "usage: ./run_gateway.sh --add-user NAME --role reader|engineer|publisher|operator|admin "
      + "(password from $" + PASSWORD_ENV + ", a prompt, or standard input)";

  private AddUserMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), FeaturelakeConfig.load(), System.out, System.err));
  }

  static int run(String[] args, Map<String, String> env, FeaturelakeConfig config, PrintStream out, PrintStream err) {
    String name = null;
    String role = null;
    try {
      CliArgs cli = new CliArgs(args);
      while (cli.next()) {
        switch (cli.flag()) {
          case "--add-user" -> name = cli.value();
          case "--role" -> role = cli.value();
          default -> throw cli.unknown();
        }
      }
      if (name == null || role == null) {
        throw new IllegalArgumentException(name == null ? "--add-user needs a user name" : "--role is required");
      }
      Role.parse(role);
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("featurelake: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    char[] password = null;
    try {
      password = password(env, name, err);
      CatalogDatabase db = CatalogDatabase.fromConfig(config);
      db.migrate();
      String by = System.getProperty("user.name", "unknown");
      PlatformUser user = new UserAdministration(new UserRepository(db), new PasswordHasher()).add(name, role, password, by);
      new AuditLogRepository(db).record(by, Role.ADMIN, "add-user (run_gateway.sh)", user.name() + " as " + user.role().label(),
          AuditEntry.Outcome.SUCCEEDED, null);
      out.println("featurelake: added user " + user.name() + " with role " + user.role().label());
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("featurelake: cannot add user: " + e.getMessage());
      return 1;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private static char[] password(Map<String, String> env, String name, PrintStream err) {
    String fromEnv = env.get(PASSWORD_ENV);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv.toCharArray();
    }
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", name);
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        throw new IllegalArgumentException("the two passwords differ");
      }
      return first;
    }
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new IllegalArgumentException("no password: set $" + PASSWORD_ENV + " or type it at the prompt");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the password from standard input: " + e.getMessage(), e);
    }
  }
}
