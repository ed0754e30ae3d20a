package io.featurelake.gateway.cli;

import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.gateway.cli.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.LoggerFactory;

/**
 * The skeleton every {@code run_*.sh} job shares: read the arguments (a mistake prints the
 * message and the usage, exit 2), load the configuration, log to the state directory, start
 * Spark on the configured lakehouse, run the job, and turn a failure into one line and an exit
 * code: 2 for the user's mistake ({@link ErrorCode.Kind#USER_ERROR}), 1 for anything else (the
 * full trace goes to the log file). Spark is stopped however the job ends.
 *
 * @param <O> the job's parsed options
 */
public final class ScriptMain<O> {

  /** Everything went as asked. */
  public static final int OK = 0;
  /** The job ran and something failed (a run dropped, a sync failed, Redis down ...). */
  public static final int FAILED = 1;
  /** The request was wrong: bad arguments, unknown view, invalid definition. */
  public static final int USAGE = 2;

  /** Reads the arguments; throws IllegalArgumentException (or PlatformException) naming the bad one. */
  @FunctionalInterface
  public interface Parser<O> {
    O parse(String[] args);
  }

  /** The job itself; returns its exit code. */
  @FunctionalInterface
  public interface Job<O> {
    int run(O options, Context context);
  }

  /** What a job runs with. */
  public record Context(FeaturelakeConfig config, SparkSession spark, PrintStream out, PrintStream err) {}

  private final String name;
  private final String usage;
  private final Parser<O> parser;
  private java.util.function.Function<FeaturelakeConfig, String> banner = config -> null;

  /**
   * @param name the job's name: its log file is {@code <home>/logs/<name>.log}
   * @param usage printed under an argument error
   */
  public ScriptMain(String name, String usage, Parser<O> parser) {
    this.name = name;
    this.usage = usage;
    this.parser = parser;
  }

  /** A line printed before Spark starts (it takes seconds), e.g. where the state lives. */
  public ScriptMain<O> banner(java.util.function.Function<FeaturelakeConfig, String> line) {
    this.banner = line;
    return this;
  }

  public int run(String[] args, PrintStream out, PrintStream err, Job<O> job) {
    O options;
    FeaturelakeConfig config;
    try {
      options = parser.parse(args);
      config = FeaturelakeConfig.load();
    } catch (IllegalArgumentException | ConfigException | PlatformException e) {
      err.println("featurelake: " + e.getMessage());
      err.println(usage);
      return USAGE;
    }
    LogSetup.toHome(config, name);
    String line = banner.apply(config);
    if (line != null) {
      out.println(line);
    }
    SparkSession spark = LakeSessions.create(config);
    try {
      return job.run(options, new Context(config, spark, out, err));
    } catch (PlatformException e) {
      err.println("featurelake: " + ConciseErrors.message(e));
      return exitCode(e);
    } catch (RuntimeException e) {
      err.println("featurelake: " + ConciseErrors.message(e) + " (full trace in " + LogSetup.logFile(config, name) + ")");
      LoggerFactory.getLogger(ScriptMain.class).error("{} failed", name, e);
      return FAILED;
    } finally {
      spark.stop();
    }
  }

  /** USAGE for the user's mistakes, FAILED for the rest. */
  public static int exitCode(PlatformException e) {
    return e.code().kind() == ErrorCode.Kind.USER_ERROR ? USAGE : FAILED;
  }
}
