package io.featurelake.gateway.online;

import io.featurelake.gateway.session.LakeSessions;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * Full-sync throughput next to Redis's own ceiling, on the same machine and Redis, in one run:
 * builds a feature table of {@code entities} rows (one per entity, 3 features) in a fresh
 * temporary home, runs full guarded syncs of it, then {@code redis-benchmark} with pipelined
 * 3-field HSETs over as many random keys, and prints both rates and their ratio.
 *
 * <p>Arguments: {@code [entities=1000000] [redis_url=redis://127.0.0.1:6379/15] [runs=2]}. The
 * keys go to the given database under the prefix {@code flbench}, deleted afterwards;
 * redis-benchmark's keys ({@code flbench:rb:*}) too.
 */
public final class SyncBenchmark {

  private static final String VIEW = "bench_entities";

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
    String url = args.length > 1 ? args[1] : "redis://127.0.0.1:6379/15";
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path home = Files.createTempDirectory("featurelake-sync-bench-");
    Path features = Files.createDirectories(home.resolve("features"));
    Files.writeString(features.resolve(VIEW + ".yaml"), String.join("\n", "name: " + VIEW,
        "description: synthetic entities for the sync benchmark", "owner: bench@example.com", "entities: [entity_id]",
        "event_timestamp: event_date", "sources: [lake.bench.seed]", "lookback_days: 0", "online:", "  ttl: 1d", ""));
    Files.writeString(features.resolve(VIEW + ".sql"), "SELECT entity_id, event_date, clicks, spend, segment FROM lake.bench.seed\n"
        + "WHERE event_date >= DATE '${start_date}' AND event_date < DATE '${end_date}'\n");
    Map<String, String> env = new HashMap<>();
    // Tuning knobs pass through (FEATURELAKE_ONLINE_BATCH_SIZE, FEATURELAKE_ONLINE_PIPELINE_DEPTH, ...).
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("FEATURELAKE_ONLINE_") || k.startsWith("FEATURELAKE_SPARK_")) {
        env.put(k, v);
      }
    });
    env.put("FEATURELAKE_HOME", home.toString());
    env.put("FEATURELAKE_FEATURES_DIR", features.toString());
    env.put("FEATURELAKE_REDIS_URL", url);
    env.put("FEATURELAKE_ONLINE_KEY_PREFIX", "flbench");
    FeaturelakeConfig config = FeaturelakeConfig.load(env, new Properties(), home);
    SparkSession spark = LakeSessions.create(config);
    RedisSettings settings = RedisSettings.fromConfig(config);
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.features");
      spark.sql("CREATE TABLE lake.features." + VIEW + " (entity_id BIGINT, event_date DATE, clicks BIGINT, "
          + "spend DOUBLE, segment STRING) USING iceberg PARTITIONED BY (days(event_date)) "
          + "TBLPROPERTIES ('format-version'='2')");
      spark.sql("INSERT INTO lake.features." + VIEW + " SELECT id, DATE '2023-01-01', id % 1000, id / 7.0, "
          + "concat('s', id % 17) FROM range(0, " + entities + ")");
      SyncService sync = new SyncService(spark, Platform.current(), settings);
      List<SyncResult> results = new ArrayList<>();
      try (OnlineStore store = JedisOnlineStore.open(settings)) {
        for (int run = 1; run <= runs; run++) {
          store.deleteMatching(OnlineKeys.viewPattern("flbench", VIEW));
          results.add(sync.sync(VIEW, true, "benchmark", line -> { }));
        }
        // Where a sync's time goes: the Spark side alone (read + latest per entity, into Spark's
        // no-op sink), and the guard alone (the same number of records from one driver thread on
        // one connection, no Spark).
        org.apache.iceberg.Table table = new io.featurelake.gateway.lake.FeatureTables(spark).load(VIEW);
        long t0 = System.nanoTime();
        new OnlineRows(spark, sync.views().load(VIEW), table).latestAt(table, table.currentSnapshot().snapshotId(), null)
            .write().format("noop").mode("overwrite").save();
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        store.deleteMatching(OnlineKeys.viewPattern("flbench", VIEW));
        double cpu0 = redisCpuSeconds(settings);
        double guardSeconds = guardFromDriver(store, settings, entities);
        double guardCpuMicros = (redisCpuSeconds(settings) - cpu0) * 1e6 / entities;
        store.deleteMatching(OnlineKeys.viewPattern("flbench", VIEW));
        double cpu1 = redisCpuSeconds(settings);
        double ceiling = redisBenchmark(settings, entities);
        double hsetCpuMicros = (redisCpuSeconds(settings) - cpu1) * 1e6 / entities;
        System.out.printf(Locale.ROOT, "%nSync benchmark: %,d entities (3 features + _event_ts + _snapshot_seq per hash), "
            + "guard on, batch-size %d, pipeline-depth %d, Spark %s, master %s, %d cores, Redis %s%n%n",
            entities, settings.batchSize(), settings.pipelineDepth(), spark.version(), config.sparkMaster(),
            Runtime.getRuntime().availableProcessors(), settings.describe());
        System.out.println("| run | keys written | seconds | keys/s | redis-benchmark HSET -P 64 (req/s) | ratio |");
        System.out.println("|----:|-------------:|--------:|-------:|-----------------------------------:|------:|");
        for (int i = 0; i < results.size(); i++) {
          SyncResult r = results.get(i);
          System.out.printf(Locale.ROOT, "| %d | %,d | %.2f | %,.0f | %,.0f | %.0f%% |%n", i + 1, r.keysWritten(),
              r.seconds(), r.keysPerSecond(), ceiling, 100 * r.keysPerSecond() / ceiling);
        }
        System.out.printf(Locale.ROOT, "%nphases: Spark read + latest per entity alone (noop sink) %.2f s (%,.0f rows/s); "
            + "guard alone from one driver thread %.2f s (%,.0f keys/s, %.0f%% of redis-benchmark)%n", sparkSeconds,
            entities / sparkSeconds, guardSeconds, entities / guardSeconds, 100 * entities / guardSeconds / ceiling);
        // Redis is one thread: its CPU time per key bounds the rate whatever the client does.
        System.out.printf(Locale.ROOT, "Redis CPU per key: guard %.2f us, redis-benchmark HSET %.2f us; with Redis's one "
            + "thread fully busy the guard could write at most %,.0f keys/s = %.0f%% of redis-benchmark's rate%n",
            guardCpuMicros, hsetCpuMicros, 1e6 / guardCpuMicros, 100 * 1e6 / guardCpuMicros / ceiling);
        store.deleteMatching(OnlineKeys.viewPattern("flbench", VIEW));
        store.deleteMatching("flbench:rb:*");
      }
    } finally {
      spark.stop();
    }
  }

  /** Redis's own CPU time (user + system) so far, from INFO cpu. */
  private static double redisCpuSeconds(RedisSettings s) {
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(s.host(), s.port())) {
      if (s.password() != null) {
        jedis.auth(s.password());
      }
      double total = 0;
      for (String line : jedis.info("cpu").split("\\R")) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          total += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
        }
      }
      return total;
    }
  }

  /** Seconds to write {@code n} records like the benchmark table's through the guard from this thread. */
  private static double guardFromDriver(OnlineStore store, RedisSettings settings, long n) {
    int flushAt = settings.batchSize() * settings.pipelineDepth();
    List<OnlineRecord> buffer = new ArrayList<>(flushAt);
    long t0 = System.nanoTime();
    for (long id = 0; id < n; id++) {
      buffer.add(new OnlineRecord(OnlineKeys.key("flbench", VIEW, List.of(id)), 1_672_531_200_000_000L, 2,
          List.of("clicks", Long.toString(id % 1000), "spend", Double.toString(id / 7.0), "segment", "s" + id % 17)));
      if (buffer.size() == flushAt || id == n - 1) {
        store.writeGuarded(buffer, 86_400_000L);
        buffer.clear();
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** redis-benchmark's pipelined 3-field HSET rate over random keys, same count as the sync. */
  static double redisBenchmark(RedisSettings s, long n) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", s.host(), "-p", String.valueOf(s.port()),
        "--dbnum", String.valueOf(s.database()), "-q", "-n", String.valueOf(n), "-r", String.valueOf(n), "-P", "64",
        "hset", "flbench:rb:__rand_int__", "clicks", "__rand_int__", "spend", "1.5", "segment", "s3"));
    if (s.password() != null) {
      cmd.addAll(3, List.of("-a", s.password()));
    }
    System.out.println("$ " + String.join(" ", cmd));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", r.lines().toList());
    }
    p.waitFor();
    System.out.println(out.replace("\r", "\n").lines().filter(l -> l.contains("requests per second")).findFirst().orElse(out));
    Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out);
    double rate = 0;
    while (m.find()) {
      rate = Double.parseDouble(m.group(1));
    }
    return rate;
  }
}
