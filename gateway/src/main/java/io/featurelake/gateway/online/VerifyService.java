package io.featurelake.gateway.online;

import static org.apache.spark.sql.functions.rand;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.gateway.session.Platform;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code verify_online}: compares Redis with the latest-per-entity state of main, for every
 * entity or a random sample. Reads Redis from the executors (pipelined HGETALL); the extra keys
 * come from a SCAN of the view's keys on the driver.
 */
public final class VerifyService {

  private final SparkSession spark;
  private final SyncService sync;

  public VerifyService(SparkSession spark, Platform platform) {
    this(spark, new SyncService(spark, platform));
  }

  public VerifyService(SparkSession spark, SyncService sync) {
    this.spark = spark;
    this.sync = sync;
  }

  /** {@code sample} null: every entity; otherwise at most that many random entities. */
  public VerifyResult verify(String viewName, Long sample) {
    if (sample != null && sample < 1) {
      throw PlatformException.invalidArgument("lake.platform.verify_online: sample must be at least 1, got %d", sample);
    }
    FeatureViewDefinition view = sync.views().load(viewName);
    Table table = sync.publishedTable(view);
    Snapshot head = table.currentSnapshot();
    RedisSettings settings = sync.settings();
    long t0 = System.nanoTime();
    long redisKeys;
    long[] counts;
    long mainEntities;
    try {
      long[] scanned = new long[1];
      try (OnlineStore store = JedisOnlineStore.open(settings)) {
        store.scan(OnlineKeys.viewPattern(settings.keyPrefix(), view.name()), k -> scanned[0]++);
      }
      redisKeys = scanned[0];
      OnlineRows rows = new OnlineRows(spark, view, table);
      Dataset<Row> latest = rows.latestAt(table, head.snapshotId(), null).cache();
      try {
        mainEntities = latest.count();
        Dataset<Row> checked = sample == null ? latest : latest.orderBy(rand(42)).limit((int) Math.min(sample, Integer.MAX_VALUE));
        counts = checked.javaRDD()
            .mapPartitions(new Compare(settings, view.name(), view.entities().size(), rows.features()))
            .reduce(VerifyService::add);
      } finally {
        latest.unpersist();
      }
    } catch (Exception e) { // Spark's job failure is a checked SparkException, thrown through Java's API unchecked
      var cause = RedisFailures.redisCause(e);
      if (cause.isPresent()) {
        throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Cannot verify " + view.name() + ": "
            + cause.get().getMessage(), e);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new PlatformException(ErrorCode.EXTERNAL_FAILURE, "Cannot verify " + view.name() + ": "
          + io.featurelake.gateway.errors.ConciseErrors.message(e), e);
    }
    long checked = counts[0];
    long missing = counts[2];
    long extra = sample == null ? redisKeys - (checked - missing) : Math.max(0, redisKeys - mainEntities);
    return new VerifyResult(view.name(), head.snapshotId(), sample != null, checked, counts[1], missing, counts[3],
        Math.max(0, extra), redisKeys, (System.nanoTime() - t0) / 1e9);
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]};
  }

  /** In the executors: {checked, matching, missing, stale} of one partition. */
  private static final class Compare implements FlatMapFunction<Iterator<Row>, long[]>, Serializable {
    private static final long serialVersionUID = 1L;
    private final RedisSettings settings;
    private final GuardedPartitionWriter encoder;

    Compare(RedisSettings settings, String view, int entityCount, List<String> features) {
      this.settings = settings;
      this.encoder = new GuardedPartitionWriter(settings, view, entityCount, features, 0, null, null, null);
    }

    @Override
    public Iterator<long[]> call(Iterator<Row> rows) {
      long[] c = new long[4];
      if (!rows.hasNext()) {
        return List.of(c).iterator();
      }
      int chunk = Math.max(1, settings.batchSize() * settings.pipelineDepth());
      List<OnlineRecord> expected = new ArrayList<>(chunk);
      try (OnlineStore store = JedisOnlineStore.open(settings)) {
        while (rows.hasNext()) {
          expected.add(encoder.toRecord(rows.next()));
          if (expected.size() >= chunk || !rows.hasNext()) {
            List<String> keys = expected.stream().map(OnlineRecord::key).toList();
            List<Map<String, String>> actual = store.readAll(keys);
            for (int i = 0; i < expected.size(); i++) {
              c[0]++;
              Map<String, String> got = actual.get(i);
              if (got == null || got.isEmpty()) {
                c[2]++;
              } else if (matches(expected.get(i), got)) {
                c[1]++;
              } else {
                c[3]++;
              }
            }
            expected.clear();
          }
        }
      }
      return List.of(c).iterator();
    }

    /** Same event time and exactly the same features; the sequence number may differ (carried-over rows keep theirs). */
    private static boolean matches(OnlineRecord want, Map<String, String> got) {
      Map<String, String> features = new HashMap<>(got);
      String ts = features.remove(OnlineKeys.EVENT_TS_FIELD);
      features.remove(OnlineKeys.SNAPSHOT_SEQ_FIELD);
      if (!Long.toString(want.eventTs()).equals(ts)) {
        return false;
      }
      List<String> fv = want.fieldsAndValues();
      if (features.size() != fv.size() / 2) {
        return false;
      }
      for (int i = 0; i < fv.size(); i += 2) {
        if (!fv.get(i + 1).equals(features.get(fv.get(i)))) {
          return false;
        }
      }
      return true;
    }
  }
}
