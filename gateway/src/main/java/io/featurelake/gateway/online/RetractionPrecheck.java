package io.featurelake.gateway.online;

import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental sync's retraction pass, narrowed before main is read again: which candidates
 * (entities whose rows a commit in the range removed) Redis really serves a removed value for.
 */
final class RetractionPrecheck {

  private static final Logger LOG = LoggerFactory.getLogger(RetractionPrecheck.class);
  /** Retraction candidates checked against Redis before main is read again. */
  static final int LIMIT = 100_000;

  private final SparkSession spark;
  private final RedisSettings settings;

  RetractionPrecheck(SparkSession spark, RedisSettings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  /**
   * The retraction candidates whose stored value the retraction would actually replace, or null
   * when there are none: up to {@link #LIMIT} candidates are checked against
   * Redis from here (one pipelined read) with the script's own rule ({@link GuardRule#retracts}),
   * so that main is read again only when some entity's served value was really removed. An entity
   * that lost an old day but whose newer row is what Redis serves costs nothing. Above the limit
   * every candidate goes to the script, which applies the same rule atomically anyway; this check
   * only saves work, it decides nothing (a value that changes after it is judged by the script).
   */
  Dataset<Row> needed(FeatureViewDefinition view, OnlineRows rows, Dataset<Row> netted) {
    Dataset<Row> candidates = rows.retractionCandidates(netted);
    List<Row> some = candidates.limit(LIMIT + 1).collectAsList();
    if (some.isEmpty()) {
      return null;
    }
    if (some.size() > LIMIT) {
      return candidates;
    }
    int entityCount = view.entities().size();
    List<String> keys = new ArrayList<>(some.size());
    for (Row r : some) {
      keys.add(OnlinePartitionWriter.keyOf(r, entityCount, settings.keyPrefix(), view.name()));
    }
    List<java.util.Map<String, String>> stored;
    try (OnlineStore store = JedisOnlineStore.open(settings)) {
      stored = store.readAll(keys);
    }
    List<Row> kept = new ArrayList<>();
    for (int i = 0; i < some.size(); i++) {
      Row r = some.get(i);
      java.util.Map<String, String> value = stored.get(i);
      if (r.isNullAt(entityCount) || r.isNullAt(entityCount + 1) || GuardRule.retracts(r.getLong(entityCount), r.getLong(entityCount + 1),
          number(value, OnlineKeys.EVENT_TS_FIELD), number(value, OnlineKeys.SNAPSHOT_SEQ_FIELD))) {
        kept.add(r);
      }
    }
    LOG.info("Online sync of {}: {} of {} retraction candidates hold a removed value in Redis", view.name(), kept.size(),
        some.size());
    return kept.isEmpty() ? null : spark.createDataFrame(kept, candidates.schema());
  }

  private static Long number(java.util.Map<String, String> hash, String field) {
    String v = hash == null ? null : hash.get(field);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
