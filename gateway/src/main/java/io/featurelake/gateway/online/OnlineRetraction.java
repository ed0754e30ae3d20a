package io.featurelake.gateway.online;

/**
 * One entity whose rows were removed from main, for {@code online-retract.lua}: its key, the
 * latest event time among the removed rows ({@code retractTs}, epoch microseconds), the highest
 * sequence number among the commits that removed them ({@code retractSeq}), and main's current
 * latest row of the entity ({@code replacement}, with the same key), or null when it has none left.
 */
public record OnlineRetraction(String key, long retractTs, long retractSeq, OnlineRecord replacement) {

  public OnlineRetraction {
    if (replacement != null && !replacement.key().equals(key)) {
      throw new IllegalArgumentException("replacement of " + key + " has key " + replacement.key());
    }
  }

  /** What a batch of retractions did: keys given main's latest row, keys deleted (no row left). */
  public record Outcome(long replaced, long deleted) {}
}
