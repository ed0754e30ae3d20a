package io.featurelake.gateway.online;

/**
 * Redis compared with the latest-per-entity state of main.
 *
 * @param checked entities of main compared (all, or the sample)
 * @param matching Redis holds exactly the entity's latest row (features and event time)
 * @param missing no hash for the entity
 * @param stale a hash whose event time or features differ from main's latest row
 * @param extra hashes of the view whose entity has no row on main (exact for a full check; for a
 *     sample, a lower bound: keys in Redis minus entities on main)
 * @param redisKeys hashes of the view found in Redis by SCAN
 */
public record VerifyResult(String featureView, long snapshotId, boolean sampled, long checked, long matching, long missing,
    long stale, long extra, long redisKeys, double seconds) {

  public boolean clean() {
    return missing == 0 && stale == 0 && extra == 0;
  }
}
