package io.featurelake.gateway.bench;

import io.featurelake.gateway.backfill.BackfillRequest;
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
import io.featurelake.sqlcatalog.runs.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark behind {@code .ci/bench/cluster-backfill.sh}: on the configured master, generates
 * {@code events} demo events over {@code days} days (plus the lookback days), then backfills both
 * shipped views over that window with Write-Audit-Publish and, for the WAP overhead, writes the
 * same SQL plainly. Prints one {@code RESULT} line the script tabulates: wall times, events/s,
 * and the peak resident memory (VmHWM) of the driver and of the executors that
 * {@code run_cluster.sh}'s workers launched ({@code FEATURELAKE_CLUSTER_DIR}).
 * {@code ScaleOutBenchmark [events=20000000] [days=14]}
 */
public final class ScaleOutBenchmark {

  private static final List<String> VIEWS = List.of("user_activity_daily", "item_popularity_daily");

  private ScaleOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    FeaturelakeConfig config = FeaturelakeConfig.load();
    SparkSession spark = LakeSessions.create(config);
    try {
      BackfillService service = new BackfillService(spark, Platform.current());
      int lookback = VIEWS.stream().map(v -> service.views().load(v)).mapToInt(FeatureViewDefinition::lookbackDays).max().orElse(0);
      LocalDate start = LocalDate.of(2023, 1, 1);
      LocalDate end = start.plusDays(days);
      // The lookback days, one more day for the warm-up run, and the window.
      GenerationResult gen = new EventGenerator().generate(spark, start.minusDays(lookback + 1L), end,
          GeneratorOptions.builder().eventsPerDay(events / days).build());
      long windowEvents = spark.sql("SELECT count(*) FROM lake.raw.events WHERE event_ts >= TIMESTAMP '" + start
          + " 00:00:00' AND event_ts < TIMESTAMP '" + end + " 00:00:00'").first().getLong(0);
      System.out.printf(Locale.ROOT, "generated %,d events (%,d in the window) in %.1f s on %s%n", gen.rowsWritten(),
          windowEvents, gen.seconds(), spark.sparkContext().master());

      // Warm-up, and the baseline the window's drift checks compare with: the day before the window.
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.bench");
      for (String v : VIEWS) {
        publish(service, v, start.minusDays(1), start);
        FeatureViewDefinition view = service.views().load(v);
        spark.sql("CREATE TABLE lake.bench." + v + " USING iceberg PARTITIONED BY (days(" + view.eventTimestamp()
            + ")) AS SELECT * FROM (" + view.render(start.minusDays(1), start) + ")");
      }

      String loadBefore = BackfillBenchmark.loadAverage();
      long t0 = System.nanoTime();
      for (String v : VIEWS) {
        FeatureViewDefinition view = service.views().load(v);
        spark.sql(view.render(start, end)).writeTo("lake.bench." + v).overwritePartitions();
      }
      double plain = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      for (String v : VIEWS) {
        publish(service, v, start, end);
      }
      double wap = (System.nanoTime() - t1) / 1e9;

      long driverPeak = peakKib(ProcessHandle.current().pid()).orElse(0L);
      long executorPeak = 0;
      int executors = 0;
      String clusterDir = System.getenv("FEATURELAKE_CLUSTER_DIR");
      if (clusterDir != null && !spark.sparkContext().master().startsWith("local")) {
        for (long worker : workerPids(Path.of(clusterDir))) {
          for (ProcessHandle child : ProcessHandle.of(worker).map(h -> h.children().toList()).orElse(List.of())) {
            executorPeak = Math.max(executorPeak, peakKib(child.pid()).orElse(0L));
            executors++;
          }
        }
      }
      System.out.printf(Locale.ROOT, "RESULT master=%s events=%d wap_s=%.2f wap_events_per_s=%.0f plain_s=%.2f overhead_pct=%.1f "
              + "driver_peak_mib=%d executors=%d executor_peak_mib=%d load_before=%s load_after=%s%n",
          spark.sparkContext().master(), windowEvents, wap, windowEvents / wap, plain, (wap / plain - 1) * 100,
          driverPeak / 1024, executors, executorPeak / 1024, loadBefore, BackfillBenchmark.loadAverage());
    } finally {
      spark.stop();
    }
  }

  private static void publish(BackfillService service, String view, LocalDate start, LocalDate end) {
    BackfillRun run = service.start(new BackfillRequest(view, start, end, true, "benchmark", "bench"), ProgressListener.NONE).run();
    if (run.state() != RunState.PUBLISHED) {
      throw new IllegalStateException("benchmark run " + run.runId() + " of " + view + " ended " + run.state() + ": " + run.message());
    }
  }

  private static List<Long> workerPids(Path clusterDir) throws IOException {
    Path pids = clusterDir.resolve("pids");
    try (var files = Files.list(pids)) {
      return files.filter(f -> f.getFileName().toString().startsWith("worker-"))
          .map(f -> {
            try {
              return Long.parseLong(Files.readString(f).trim());
            } catch (IOException | NumberFormatException e) {
              return -1L;
            }
          }).filter(p -> p > 0).toList();
    }
  }

  /** Peak resident set size (VmHWM, KiB) of a process, from /proc. */
  private static Optional<Long> peakKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process is gone
    }
    return Optional.empty();
  }
}
