package io.featurelake.gateway.bench;

import io.featurelake.gateway.demo.EventGenerator;
import io.featurelake.gateway.demo.GenerationResult;
import io.featurelake.gateway.demo.GeneratorOptions;
import io.featurelake.gateway.cli.LogSetup;
import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Times {@link EventGenerator} end to end (generate and commit to Iceberg) in a throw-away home:
 * {@code EventGeneratorBenchmark [total_events=5000000] [days=5] [runs=2]}. The first run includes
 * creating the table and warming the JVM; later runs replace the same days.
 */
public final class EventGeneratorBenchmark {

  private EventGeneratorBenchmark() {}

  public static void main(String[] args) throws IOException {
    long total = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 5_000_000L;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    if (total <= 0 || days <= 0 || runs <= 0 || total % days != 0) {
      System.err.println("usage: EventGeneratorBenchmark [total_events>0] [days>0, divides total_events] [runs>0]");
      System.exit(2);
    }
    Path home = Files.createTempDirectory("featurelake-bench-");
    Map<String, String> env = new HashMap<>();
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_SPARK_MASTER", System.getenv().getOrDefault("FEATURELAKE_SPARK_MASTER", "local[*]"));
    FeaturelakeConfig config = FeaturelakeConfig.load(env, new Properties(), home);
    LogSetup.toHome(config, "benchmark");

    LocalDate start = LocalDate.of(2023, 1, 1);
    GeneratorOptions options = GeneratorOptions.builder().eventsPerDay(total / days).build();
    EventGenerator generator = new EventGenerator();
    SparkSession spark = LakeSessions.create(config);
    try {
      System.out.printf("EventGenerator benchmark: %,d events over %d days (%s), Spark %s, master %s, %d cores, java %s, max heap %d MB%n",
          total, days, options, spark.version(), spark.sparkContext().master(),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20);
      System.out.println();
      System.out.println("| run |        rows | days |  seconds |     rows/s |");
      System.out.println("|----:|------------:|-----:|---------:|-----------:|");
      for (int run = 1; run <= runs; run++) {
        GenerationResult r = generator.generate(spark, start, start.plusDays(days), options);
        System.out.printf("| %3d | %,11d | %4d | %8.2f | %,10.0f |%n", run, r.rowsWritten(), r.days(), r.seconds(),
            r.rowsWritten() / r.seconds());
      }
      long stored = spark.table(EventGenerator.TABLE).count();
      System.out.printf("%nrows in %s after %d runs: %,d%n", EventGenerator.TABLE, runs, stored);
    } finally {
      spark.stop();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
