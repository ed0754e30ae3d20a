package io.featurelake.gateway.backfill;

import io.featurelake.gateway.lake.WindowScan;
import io.featurelake.gateway.lake.FeatureTables;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GenerationResult;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.errors.ConciseErrors;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.cli.CliArgs;
import io.featurelake.gateway.cli.ConsoleClock;
import io.featurelake.gateway.cli.ScriptMain;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditReport;
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
      "  --generate           (re)generate the demo raw events for the window and its lookback first",
      "                       (without it, only the days of those that lake.raw.events has no rows for)",
      "  --events-per-day N   demo events per day when generating (default 100000)",
      "  --seed N             generator seed (default 42)",
      "  --mode M             generator mode: normal, null_amounts, shifted (default normal)");

  /** Parsed command line. */
  record Options(String startDate, String endDate, List<String> views, boolean publish, boolean generate,
      GeneratorOptions generator) {}

  private BackfillMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return new ScriptMain<>("backfill", USAGE, BackfillMain::parseAndCheck)
        .banner(config -> stamp() + "starting Spark (" + config.sparkMaster() + "), state in " + config.home())
        .run(args, out, err, (options, job) -> backfill(options, job.spark(), out, err));
  }

  /** The arguments, with the window checked as the backfill will (before Spark starts). */
  static Options parseAndCheck(String[] args) {
    Options options = parse(args);
    BackfillRequest.of("placeholder", options.startDate(), options.endDate(), true, "script", "check");
    return options;
  }

  private static int backfill(Options options, SparkSession spark, PrintStream out, PrintStream err) {
    int exit = ScriptMain.OK;
    BackfillService service = new BackfillService(spark, Platform.current());
    List<String> views = options.views().isEmpty() ? service.views().names() : options.views();
    if (views.isEmpty()) {
      err.println("featurelake: no feature views defined in " + service.views().dir());
      return ScriptMain.USAGE;
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
          exit = ScriptMain.FAILED;
        }
      } catch (PlatformException e) {
        err.println(stamp() + "FAILED: " + ConciseErrors.message(e));
        exit = ScriptMain.FAILED;
      }
    }
    return exit;
  }

  /**
   * Generates demo events when asked (the whole window and its lookback), or else for the days of
   * the window and its lookback that the sources have no rows for: a window next to one
   * backfilled before shares its lookback days, which keep their rows.
   */
  private static void prepareRawEvents(SparkSession spark, List<FeatureViewDefinition> views, Options options, PrintStream out) {
    LocalDate start = LocalDate.parse(options.startDate());
    LocalDate end = LocalDate.parse(options.endDate());
    int lookback = views.stream().mapToInt(FeatureViewDefinition::lookbackDays).max().orElse(0);
    LocalDate from = start.minusDays(lookback);
    boolean usesDemo = views.stream().anyMatch(v -> v.sources().contains(EventGenerator.TABLE));
    if (!usesDemo) {
      return;
    }
    List<LocalDate[]> ranges = new ArrayList<>();
    if (options.generate()) {
      ranges.add(new LocalDate[] {from, end});
    } else {
      FeatureTables tables = new FeatureTables(spark);
      TableIdentifier id = TableIdentifier.of("raw", "events");
      Table table = tables.iceberg().tableExists(id) ? tables.iceberg().loadTable(id) : null;
      Snapshot current = table == null ? null : table.currentSnapshot();
      java.util.SortedSet<LocalDate> present = current == null ? new java.util.TreeSet<>()
          : WindowScan.daysWithRows(table, current.snapshotId(), "event_ts", from, end);
      ranges = missingRanges(from, end, present);
      if (!ranges.isEmpty()) {
        long missing = ranges.stream().mapToLong(r -> java.time.temporal.ChronoUnit.DAYS.between(r[0], r[1])).sum();
        out.println(stamp() + EventGenerator.TABLE + (table == null ? " does not exist" : " has no rows for "
            + describe(ranges) + " (" + missing + " of " + java.time.temporal.ChronoUnit.DAYS.between(from, end)
            + " days of [" + from + ", " + end + "))") + ": generating demo data");
      }
    }
    GeneratorOptions gen = options.generator();
    for (LocalDate[] r : ranges) {
      EventGenerator.checkSize(r[0], r[1], java.time.temporal.ChronoUnit.DAYS.between(r[0], r[1]), gen.eventsPerDay());
    }
    for (LocalDate[] r : ranges) {
      out.println(stamp() + "generating " + gen + " for [" + r[0] + ", " + r[1] + ")");
      GenerationResult g = new EventGenerator().generate(spark, r[0], r[1], gen);
      out.println(stamp() + String.format(Locale.ROOT, "generated %,d events in %.1f s (snapshot %d)", g.rowsWritten(),
          g.seconds(), g.snapshotId()));
    }
  }

  /** The runs of consecutive days of [from, end) not in {@code present}, as [first, end) pairs. */
  static List<LocalDate[]> missingRanges(LocalDate from, LocalDate end, java.util.SortedSet<LocalDate> present) {
    List<LocalDate[]> ranges = new ArrayList<>();
    LocalDate open = null;
    for (LocalDate d = from; d.isBefore(end); d = d.plusDays(1)) {
      if (!present.contains(d) && open == null) {
        open = d;
      } else if (present.contains(d) && open != null) {
        ranges.add(new LocalDate[] {open, d});
        open = null;
      }
    }
    if (open != null) {
      ranges.add(new LocalDate[] {open, end});
    }
    return ranges;
  }

  private static String describe(List<LocalDate[]> ranges) {
    List<String> parts = new ArrayList<>();
    for (LocalDate[] r : ranges) {
      LocalDate last = r[1].minusDays(1);
      parts.add(last.equals(r[0]) ? r[0].toString() : r[0] + ".." + last);
    }
    return String.join(", ", parts);
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
      out.println("  audit      report " + report.reportId() + ": " + report.verdictLine());
      for (AuditCheck c : report.checks()) {
        String name = c.name() + (c.column() == null ? "" : "(" + c.column() + ")");
        out.println(String.format(Locale.ROOT, "    %s %-38s %s", c.status(), name, c.detail()));
      }
    });
    String decision = switch (run.state()) {
      case PUBLISHED -> "PUBLISHED: main -> snapshot " + run.publishedSnapshotId() + " (tag " + run.tag() + ")";
      case PASSED -> "PASSED, not published (publish with CALL lake.platform.publish(" + run.runId() + "))";
      case DROPPED -> "NOT PUBLISHED: " + (run.message() == null ? "dropped" : run.message()) + "; branch removed, main untouched";
      case FAILED -> "NOT PUBLISHED: " + (run.message() == null ? "failed" : run.message()) + "; main untouched"
          + (run.branchExpiresAt() == null ? "" : "; branch " + run.branch() + " kept until " + run.branchExpiresAt().withNano(0)
              + " (accept the shift: CALL lake.platform.publish(run_id => " + run.runId() + ", override_reason => '...'))");
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
    // Checked whether or not anything is generated: a bad value is a mistake either way.
    GeneratorOptions generator;
    try {
      generator = GeneratorOptions.builder().eventsPerDay(eventsPerDay).seed(seed).mode(mode).build();
    } catch (PlatformException e) {
      throw new IllegalArgumentException(e.getMessage().replace("events_per_day", "--events-per-day")
          .replaceFirst("^mode ", "--mode "));
    }
    return new Options(start, end, views, publish, generate, generator);
  }

  private static String stamp() {
    return ConsoleClock.stamp();
  }
}
