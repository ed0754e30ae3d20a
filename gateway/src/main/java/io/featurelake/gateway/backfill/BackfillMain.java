package io.featurelake.gateway.backfill;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GenerationResult;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.server.CliArgs;
import io.featurelake.gateway.server.ConsoleClock;
import io.featurelake.gateway.server.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;

/**
 * {@code run_backfill.sh}: the whole lifecycle in-process on the configured lakehouse
 * (like {@code spark-submit}), with progress while it runs and a readable summary at the end.
 * Exit code 0 when every run ended as requested (PUBLISHED, or PASSED with --no-publish),
 * 1 when a run failed its audit or a step failed, 2 on bad arguments.
 */
public final class BackfillMain {

  static final String USAGE = String.join("\n",
      "usage: ./run_backfill.sh --start_date YYYY-MM-DD --end_date YYYY-MM-DD [options]",
      "  --start_date D       first day of the window",
      "  --end_date D         day after the window (exclusive)",
      "  --feature_view V     a feature view (repeat or comma-separate; default: every defined view)",
      "  --no-publish         stop at PASSED; publish later with CALL lake.platform.publish(run_id)",
      "  --generate           (re)generate the demo raw events for the window first (also done",
      "                       automatically when lake.raw.events has no rows for the window)",
      "  --events-per-day N   demo events per day when generating (default 100000)",
      "  --seed N             generator seed (default 42)",
      "  --mode M             generator mode: normal, null_amounts, shifted (default normal)");

  /** Parsed command line. */
  record Options(String startDate, String endDate, List<String> views, boolean publish, boolean generate,
      long eventsPerDay, long seed, String mode) {}

  private BackfillMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    FeaturelakeConfig config;
    try {
      options = parse(args);
      config = FeaturelakeConfig.load();
      BackfillRequest.of("placeholder", options.startDate(), options.endDate(), true, "script", "check");
    } catch (IllegalArgumentException | ConfigException | PlatformException e) {
      err.println("featurelake: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    LogSetup.toHome(config, "backfill");
    out.println(stamp() + "starting Spark (" + config.sparkMaster() + "), state in " + config.home());
    SparkSession spark = LakeSessions.create(config);
    int exit = 0;
    try {
      BackfillService service = new BackfillService(spark, Platform.current());
      List<String> views = options.views().isEmpty() ? service.views().names() : options.views();
      if (views.isEmpty()) {
        err.println("featurelake: no feature views defined in " + service.views().dir());
        return 2;
      }
      List<FeatureViewDefinition> definitions = new ArrayList<>();
      for (String v : views) {
        definitions.add(service.views().load(v));
      }
      prepareRawEvents(spark, definitions, options, out);
      String user = System.getProperty("user.name", "unknown");
      for (FeatureViewDefinition view : definitions) {
        BackfillRequest request = BackfillRequest.of(view.name(), options.startDate(), options.endDate(), options.publish(),
            "script", user);
        out.println();
        out.println(stamp() + "backfill " + view.name() + " [" + request.startDate() + ", " + request.endDate() + ")");
        try {
          BackfillResult result = service.start(request, (runId, message) -> out.println(stamp() + "run " + runId + ": " + message));
          printSummary(out, service, result);
          RunState want = options.publish() ? RunState.PUBLISHED : RunState.PASSED;
          if (result.run().state() != want) {
            exit = 1;
          }
        } catch (PlatformException e) {
          err.println(stamp() + "FAILED: " + ConciseErrors.message(e));
          exit = 1;
        }
      }
    } catch (PlatformException e) {
      err.println("featurelake: " + ConciseErrors.message(e));
      exit = e.code().kind() == io.featurelake.sqlcatalog.errors.ErrorCode.Kind.USER_ERROR ? 2 : 1;
    } catch (RuntimeException e) {
      err.println("featurelake: " + ConciseErrors.message(e) + " (full trace in " + LogSetup.logFile(config, "backfill") + ")");
      org.slf4j.LoggerFactory.getLogger(BackfillMain.class).error("Backfill failed", e);
      exit = 1;
    } finally {
      spark.stop();
    }
    return exit;
  }

  /** Generates demo events when asked, or when the sources have no rows for the window and its lookback. */
  private static void prepareRawEvents(SparkSession spark, List<FeatureViewDefinition> views, Options options, PrintStream out) {
    LocalDate start = LocalDate.parse(options.startDate());
    LocalDate end = LocalDate.parse(options.endDate());
    int lookback = views.stream().mapToInt(FeatureViewDefinition::lookbackDays).max().orElse(0);
    LocalDate from = start.minusDays(lookback);
    boolean usesDemo = views.stream().anyMatch(v -> v.sources().contains(EventGenerator.TABLE));
    if (!usesDemo) {
      return;
    }
    boolean generate = options.generate();
    if (!generate) {
      FeatureTables tables = new FeatureTables(spark);
      TableIdentifier id = TableIdentifier.of("raw", "events");
      if (!tables.iceberg().tableExists(id)) {
        out.println(stamp() + EventGenerator.TABLE + " does not exist: generating demo data");
        generate = true;
      } else {
        Table table = tables.iceberg().loadTable(id);
        Snapshot current = table.currentSnapshot();
        if (current == null || !WindowScan.hasRows(table, current.snapshotId(), "event_ts", from, end)) {
          out.println(stamp() + EventGenerator.TABLE + " has no rows for [" + from + ", " + end + "): generating demo data");
          generate = true;
        }
      }
    }
    if (generate) {
      GeneratorOptions gen = GeneratorOptions.builder().eventsPerDay(options.eventsPerDay()).seed(options.seed())
          .mode(options.mode()).build();
      out.println(stamp() + "generating " + gen + " for [" + from + ", " + end + ")");
      GenerationResult r = new EventGenerator().generate(spark, from, end, gen);
      out.println(stamp() + String.format(Locale.ROOT, "generated %,d events in %.1f s (snapshot %d)", r.rowsWritten(),
          r.seconds(), r.snapshotId()));
    }
  }

  private static void printSummary(PrintStream out, BackfillService service, BackfillResult result) {
    BackfillRun run = result.run();
    out.println("  run        " + run.runId() + " (" + run.origin() + ", " + run.startedBy() + "), definition "
        + run.definitionSha256().substring(0, 12) + (run.gitCommit() == null ? "" : ", commit " + run.gitCommit().substring(0, 8))
        + (run.gitDirty() ? " (dirty)" : ""));
    out.println("  inputs     " + run.sourceSnapshots());
    out.println("  rows       " + (run.rowCount() == null ? "-" : String.format(Locale.ROOT, "%,d", run.rowCount()))
        + " written to " + run.branch() + (run.writtenSnapshotId() == null ? "" : " (snapshot " + run.writtenSnapshotId() + ")"));
    result.report().ifPresent(report -> {
      out.println("  audit      report " + report.reportId() + ": " + report.verdict() + ", "
          + (report.checks().size() - report.failedChecks()) + " passed, " + report.failedChecks() + " failed"
          + " (baseline: " + report.baselineKind().replace('_', ' ') + ")");
      for (AuditCheck c : report.checks()) {
        String name = c.name() + (c.column() == null ? "" : "(" + c.column() + ")");
        out.println(String.format(Locale.ROOT, "    %s %-38s %s", c.passed() ? "PASS" : "FAIL", name, c.detail()));
      }
    });
    String decision = switch (run.state()) {
      case PUBLISHED -> "PUBLISHED: main -> snapshot " + run.publishedSnapshotId() + " (tag " + run.tag() + ")";
      case PASSED -> "PASSED, not published (publish with CALL lake.platform.publish(" + run.runId() + "))";
      case DROPPED -> "NOT PUBLISHED: " + (run.message() == null ? "dropped" : run.message()) + "; branch removed, main untouched";
      default -> run.state() + (run.message() == null ? "" : ": " + run.message());
    };
    out.println("  decision   " + decision);
  }

  static Options parse(String[] args) {
    String start = null;
    String end = null;
    List<String> views = new ArrayList<>();
    boolean publish = true;
    boolean generate = false;
    long eventsPerDay = GeneratorOptions.DEFAULT_EVENTS_PER_DAY;
    long seed = GeneratorOptions.DEFAULT_SEED;
    String mode = "normal";
    CliArgs cli = new CliArgs(args);
    while (cli.next()) {
      switch (cli.flag()) {
        case "--start_date", "--start-date" -> start = cli.value();
        case "--end_date", "--end-date" -> end = cli.value();
        case "--feature_view", "--feature-view" -> views.addAll(cli.listValue());
        case "--no-publish", "--no_publish" -> publish = !cli.switchOn();
        case "--generate" -> generate = cli.switchOn();
        case "--events-per-day", "--events_per_day" -> eventsPerDay = cli.longValue();
        case "--seed" -> seed = cli.longValue();
        case "--mode" -> mode = cli.value();
        case "-h", "--help" -> throw new IllegalArgumentException("help");
        default -> throw cli.unknown();
      }
    }
    if (start == null || end == null) {
      throw new IllegalArgumentException("--start_date and --end_date are required");
    }
    return new Options(start, end, views, publish, generate, eventsPerDay, seed, mode);
  }

  private static String stamp() {
    return ConsoleClock.stamp();
  }
}
