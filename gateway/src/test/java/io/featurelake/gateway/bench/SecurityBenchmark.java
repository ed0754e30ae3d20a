package io.featurelake.gateway.bench;

import io.featurelake.gateway.security.GatewaySecurity;
import io.featurelake.gateway.security.StatementGuard;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.database.CatalogDatabase;
import io.featurelake.sqlcatalog.security.AccessControl;
import io.featurelake.sqlcatalog.security.AuditLogRepository;
import io.featurelake.sqlcatalog.security.LoginThrottle;
import io.featurelake.sqlcatalog.security.PasswordHasher;
import io.featurelake.sqlcatalog.security.PasswordLogin;
import io.featurelake.sqlcatalog.security.Principal;
import io.featurelake.sqlcatalog.security.UserAdministration;
import io.featurelake.sqlcatalog.security.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CurrentUserContext$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Benchmark: what security costs. {@code SecurityBenchmark [logins=10] [checks=20000]}. Prints
 * the login cost (one PBKDF2 hash at 600,000 iterations, and a whole login against the catalog
 * database) and the per-statement overhead of the statement guard and the procedure grant
 * check, each next to a baseline measured in the same run: the Spark analysis every statement
 * pays anyway, and a {@code SELECT 1} executed in-process.
 */
public final class SecurityBenchmark {

  private SecurityBenchmark() {}

  public static void main(String[] args) throws Exception {
    int logins = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int checks = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    Path home = Files.createTempDirectory("featurelake-security-bench-");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_GATEWAY_AUTHENTICATION", "password");
    FeaturelakeConfig config = FeaturelakeConfig.load(env, System.getProperties(), Path.of("").toAbsolutePath());
    SparkSession spark = LakeSessions.create(config);
    try {
      CatalogDatabase db = Platform.current().catalogDatabase();
      GatewaySecurity.install(config, db);
      UserRepository users = new UserRepository(db);
      PasswordHasher hasher = new PasswordHasher();
      new UserAdministration(users, hasher).add("bench", "engineer", "bench-password-1".toCharArray(), "benchmark");
      PasswordLogin login = new PasswordLogin(users, new AuditLogRepository(db), hasher, new LoginThrottle());

      double hashMs = medianMillis(logins, () -> hasher.hash("bench-password-1".toCharArray()));
      double loginMs = medianMillis(logins, () -> login.login("bench", "bench-password-1".toCharArray()));
      double unknownMs = medianMillis(Math.min(logins, 3), () -> {
        try {
          login.login("nobody", "bench-password-1".toCharArray());
        } catch (Exception expected) {
          // the point: an unknown user costs as much as a known one
        }
      });

      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.demo");
      spark.sql("CREATE TABLE IF NOT EXISTS lake.demo.bench (id BIGINT, name STRING) USING iceberg");
      List<String> statements = List.of("SELECT 1", "SELECT id, name FROM lake.demo.bench WHERE id > 10",
          "INSERT INTO lake.demo.bench VALUES (1, 'one')");
      StatementGuard guard = new StatementGuard(spark);
      AccessControl access = asUser("bench", GatewaySecurity::access);
      System.out.printf(Locale.ROOT, "Security benchmark: %d logins, %,d checks per row; Spark %s, java %s, %d cores%n%n",
          logins, checks, spark.version(), System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors());
      System.out.println("| what | median | baseline in the same run |");
      System.out.println("|---|---:|---|");
      System.out.printf(Locale.ROOT, "| PBKDF2-HMAC-SHA256 hash, 600,000 iterations | %.0f ms | |%n", hashMs);
      System.out.printf(Locale.ROOT, "| login (user lookup + hash check), known user | %.0f ms | |%n", loginMs);
      System.out.printf(Locale.ROOT, "| login, unknown user (decoy hash) | %.0f ms | known user: %.0f ms |%n",
          unknownMs, loginMs);
      for (String sql : statements) {
        LogicalPlan target = analyze(spark, sql);
        double analysisUs = medianMicros(200, () -> analyze(spark, sql));
        double guardUs = asUser("bench", () -> medianMicros(checks, () -> guard.apply(target)));
        System.out.printf(Locale.ROOT, "| statement guard, `%s` | %.1f µs | parse + analysis of it: %.0f µs (guard = %.2f%%) |%n",
            sql, guardUs, analysisUs, 100 * guardUs / analysisUs);
      }
      Principal bench = access.principal("bench");
      double selectOneUs = medianMicros(200, () -> spark.sql("SELECT 1").collect());
      double readGrantUs = medianMicros(checks, () -> access.beginProcedure(bench, "list_runs", Map.of(), "t"));
      double writeGrantUs = medianMicros(Math.min(checks, 500), () -> access.finished(
          access.beginProcedure(bench, "start_backfill", Map.of("publish", false), "t"), true, null));
      String baseline = String.format(Locale.ROOT, "SELECT 1 run in-process: %.0f µs", selectOneUs);
      System.out.printf(Locale.ROOT, "| procedure grant, read-only (list_runs; role cached) | %.1f µs | %s |%n",
          readGrantUs, baseline);
      System.out.printf(Locale.ROOT, "| procedure grant + 2 audit_log writes (start_backfill) | %.0f µs | %s |%n",
          writeGrantUs, baseline);
      System.out.printf(Locale.ROOT, "%nload average: %.2f%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      spark.stop();
    }
  }

  /** Parse and analyse without running (an INSERT is not executed). */
  private static LogicalPlan analyze(SparkSession spark, String sql) throws Exception {
    return spark.sessionState().executePlan(spark.sessionState().sqlParser().parsePlan(sql),
        org.apache.spark.sql.execution.CommandExecutionMode.SKIP()).analyzed();
  }

  private interface Work {
    void run() throws Exception;
  }

  private static <T> T asUser(String user, java.util.concurrent.Callable<T> work) throws Exception {
    CurrentUserContext$.MODULE$.CURRENT_USER().set(user);
    try {
      return work.call();
    } finally {
      CurrentUserContext$.MODULE$.CURRENT_USER().remove();
    }
  }

  private static double medianMillis(int n, Work work) throws Exception {
    return medianNanos(n, work) / 1e6;
  }

  private static double medianMicros(int n, Work work) throws Exception {
    return medianNanos(n, work) / 1e3;
  }

  /** Median of {@code n} timed runs after untimed warm-up runs (50, or 1 for slow work measured a few times). */
  private static double medianNanos(int n, Work work) throws Exception {
    for (int i = 0; i < (n > 100 ? 50 : 1); i++) {
      work.run();
    }
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      work.run();
      t[i] = System.nanoTime() - t0;
    }
    Arrays.sort(t);
    return t[n / 2];
  }
}
