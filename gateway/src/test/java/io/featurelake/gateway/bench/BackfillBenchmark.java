package io.featurelake.gateway.bench;

import io.featurelake.gateway.backfill.BackfillRequest;
import io.featurelake.gateway.backfill.BackfillResult;
import io.featurelake.gateway.backfill.BackfillService;
import io.featurelake.gateway.backfill.ProgressListener;
import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GenerationResult;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark: the whole Write-Audit-Publish lifecycle against a plain aggregate-and-write of the
 * same view, window and input, alternated in one JVM so both see the same machine state (the
 * order flips every round).
 * {@code BackfillBenchmark [events=5000000] [days=5] [rounds=5] [view=item_popularity_daily] [warmup=1]}.
 * Before the timed rounds, one day through both paths and then {@code warmup} untimed rounds of the
 * whole window through both (the WAP path's own code is compiled by the JIT during its first runs,
 * which a long-lived gateway does once). Prints each round (with the time the run took to fix its
 * PSI bins before the write, and whether they were carried with the whole baseline side from the
 * baseline's report, stored in it, or came from one pass over its rows), the best of each path, the
 * median of the per-round overheads, the total WAP time over the total plain time, the median
 * difference, and the load average before and after (the figures mean something only on an
 * otherwise quiet machine).
 */
public final class BackfillBenchmark {

  private BackfillBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String viewName = args.length > 3 ? args[3] : "item_popularity_daily";
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Path home = Files.createTempDirectory("featurelake-bench-");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FEATURELAKE_HOME", home.toString());
    FeaturelakeConfig config = FeaturelakeConfig.load(env, System.getProperties(), Path.of("").toAbsolutePath());
    SparkSession spark = LakeSessions.create(config);
    try {
      BackfillService service = new BackfillService(spark, Platform.current());
      FeatureViewDefinition view = service.views().load(viewName);
      LocalDate start = LocalDate.of(2023, 1, 1);
      LocalDate end = start.plusDays(days);
      GenerationResult gen = new EventGenerator().generate(spark, start.minusDays(view.lookbackDays()), end,
          GeneratorOptions.builder().eventsPerDay(events / days).build());
      long inputEvents = spark.sql("SELECT count(*) FROM lake.raw.events WHERE event_ts >= TIMESTAMP '" + start
          + " 00:00:00' AND event_ts < TIMESTAMP '" + end + " 00:00:00'").first().getLong(0);
      System.out.printf(Locale.ROOT, "generated %,d events (%,d in the window) in %.1f s%n", gen.rowsWritten(), inputEvents,
          gen.seconds());

      String plainTable = "lake.bench." + viewName;
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
      String sql = view.render(start, end);
      spark.sql("CREATE TABLE " + plainTable + " USING iceberg PARTITIONED BY (days(" + view.eventTimestamp()
          + ")) AS SELECT * FROM (" + sql + ") WHERE false");

      // Warm-up: one day through both paths (JIT, class loading, catalog caches).
      plain(spark, view, start, start.plusDays(1), plainTable);
      service.start(new BackfillRequest(viewName, start, start.plusDays(1), true, "benchmark", "bench"), ProgressListener.NONE);
      for (int w = 1; w <= warmup; w++) {
        double p = plain(spark, view, start, end, plainTable);
        long t0 = System.nanoTime();
        service.start(new BackfillRequest(viewName, start, end, true, "benchmark", "bench"), ProgressListener.NONE);
        System.out.printf(Locale.ROOT, "warm-up round %d (not counted): plain %.2f s, WAP %.2f s%n", w, p,
            (System.nanoTime() - t0) / 1e9);
      }

      String loadBefore = loadAverage();
      List<String> lines = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> differences = new ArrayList<>();
      double totalPlain = 0;
      double totalWap = 0;
      double bestPlain = Double.MAX_VALUE;
      double bestWap = Double.MAX_VALUE;
      for (int r = 1; r <= rounds; r++) {
        // Odd rounds run plain first, even rounds WAP first, so neither always gets the warmer
        // caches or the garbage the other left; a collection before each timed path.
        boolean plainFirst = r % 2 == 1;
        double plainSeconds = plainFirst ? plain(spark, view, start, end, plainTable) : 0;
        System.gc();
        long t0 = System.nanoTime();
        String[] binsLine = {""};
        BackfillResult result = service.start(new BackfillRequest(viewName, start, end, true, "benchmark", "bench"),
            (id, line) -> binsLine[0] = line.startsWith("baseline:") ? line : binsLine[0]);
        double wapSeconds = (System.nanoTime() - t0) / 1e9;
        if (!plainFirst) {
          System.gc();
          plainSeconds = plain(spark, view, start, end, plainTable);
        }
        BackfillRun run = result.run();
        if (run.state() != RunState.PUBLISHED) {
          throw new IllegalStateException("benchmark run " + run.runId() + " ended " + run.state() + ": " + run.message());
        }
        Map<RunState, Double> phase = phases(service.runs().events(run.runId()));
        ratios.add(wapSeconds / plainSeconds);
        differences.add(wapSeconds - plainSeconds);
        totalPlain += plainSeconds;
        totalWap += wapSeconds;
        bestPlain = Math.min(bestPlain, plainSeconds);
        bestWap = Math.min(bestWap, wapSeconds);
        java.util.regex.Matcher bins = java.util.regex.Pattern.compile("PSI bins of \\d+ column\\(s\\) (carried|stored|one pass)"
            + ".*fixed in (\\d+) ms").matcher(binsLine[0]);
        lines.add(String.format(Locale.ROOT, "%-5d %9.2f %9.2f %9.2f %9.2f %9.2f %14s %9.1f%%  %s", r, plainSeconds, wapSeconds,
            phase.getOrDefault(RunState.COMPUTING, 0.0), phase.getOrDefault(RunState.AUDITING, 0.0),
            phase.getOrDefault(RunState.PASSED, 0.0), String.format(Locale.ROOT, "%,.0f", inputEvents / wapSeconds),
            (wapSeconds / plainSeconds - 1) * 100, bins.find() ? bins.group(2) + " ms (" + bins.group(1) + ")" : "none"));
      }
      System.out.printf(Locale.ROOT, "%nview %s, window [%s, %s), %,d input events, %d rounds%n", viewName, start, end,
          inputEvents, rounds);
      System.out.printf("%-5s %9s %9s %9s %9s %9s %14s %10s  %s%n", "round", "plain_s", "wap_s", "write_s", "audit_s",
          "publish_s", "wap_events/s", "overhead", "psi_bins (from)");
      lines.forEach(System.out::println);
      System.out.printf(Locale.ROOT, "best of %d: plain %.2f s (%,.0f events/s), WAP %.2f s (%,.0f events/s), overhead %.1f%%%n",
          rounds, bestPlain, inputEvents / bestPlain, bestWap, inputEvents / bestWap, (bestWap / bestPlain - 1) * 100);
      System.out.printf(Locale.ROOT, "median of the per-round overheads: %.1f%%; total WAP over total plain: %.1f%%; "
          + "median WAP - plain: %.2f s; load average before %s, after %s%n", (median(ratios) - 1) * 100,
          (totalWap / totalPlain - 1) * 100, median(differences), loadBefore, loadAverage());
    } finally {
      spark.stop();
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The same SQL, plain: read the inputs, aggregate, replace the window's partitions of a table. */
  private static double plain(SparkSession spark, FeatureViewDefinition view, LocalDate start, LocalDate end, String table)
      throws Exception {
    System.gc();
    long t0 = System.nanoTime();
    spark.sql(view.render(start, end)).writeTo(table).overwritePartitions();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The 1-minute load average (Linux), or "n/a". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "n/a";
    }
  }

  /** Seconds spent in each state, from the run's event timestamps. */
  private static Map<RunState, Double> phases(List<RunEvent> events) {
    Map<RunState, Double> out = new HashMap<>();
    for (int i = 0; i + 1 < events.size(); i++) {
      RunEvent e = events.get(i);
      RunEvent next = events.get(i + 1);
      double s = Duration.between(e.at(), next.at()).toNanos() / 1e9;
      out.merge(e.toState(), s, Double::sum);
    }
    return out;
  }

}
