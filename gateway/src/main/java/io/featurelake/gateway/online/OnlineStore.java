package io.featurelake.gateway.online;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The online store as the sync and the verification need it. The only writers of feature hashes
 * are {@link #writeGuarded} and {@link #retract}: every write goes through a server-side script
 * that decides atomically per key.
 */
public interface OnlineStore extends AutoCloseable {

  /** Fails with a {@link OnlineStoreException} when the store is unreachable or refuses the credentials. */
  void ping();

  /**
   * Writes each record iff it is newer than what the store holds (see {@link GuardRule}), replaces
   * the whole hash when it does and sets its time to live ({@code ttlMillis <= 0}: none).
   * Returns how many were written; the rest were kept because the store held a row at least as new.
   * Pipelined; returns after every reply was read. {@code acknowledged} hears the size of each
   * call as soon as its reply was read (so a failure mid-way leaves an exact count behind).
   */
  long writeGuarded(List<OnlineRecord> records, long ttlMillis, LongConsumer acknowledged);

  default long writeGuarded(List<OnlineRecord> records, long ttlMillis) {
    return writeGuarded(records, ttlMillis, keys -> { });
  }

  /**
   * Retracts rows removed from main (see {@code online-retract.lua}): per key, when it is absent,
   * or holds a pair below {@code (retractTs, retractSeq)}, the whole hash is replaced by the
   * replacement (TTL set) or deleted when there is none; a key at or above the pair is kept.
   * Atomic per key; pipelined like {@link #writeGuarded}; returns after every reply was read.
   */
  OnlineRetraction.Outcome retract(List<OnlineRetraction> retractions, long ttlMillis, LongConsumer acknowledged);

  default OnlineRetraction.Outcome retract(List<OnlineRetraction> retractions, long ttlMillis) {
    return retract(retractions, ttlMillis, keys -> { });
  }

  /** The value of a plain string key (the sync's per-view marker), empty when absent. */
  Optional<String> readMarker(String key);

  /** Sets a plain string key, without expiry. */
  void writeMarker(String key, String value);

  /** The hashes of the keys, in order; an empty map for a missing key. */
  List<Map<String, String>> readAll(List<String> keys);

  /** Calls {@code sink} for every key matching the glob pattern (on every master of a cluster). */
  void scan(String pattern, Consumer<String> sink);

  /** Deletes every key matching the pattern; returns how many. */
  long deleteMatching(String pattern);

  @Override
  void close();
}
