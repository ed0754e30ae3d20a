package io.featurelake.sqlcatalog.paging;

import io.featurelake.sqlcatalog.errors.PlatformException;

/**
 * Which slice of a list to read: skip {@code offset} items, then at most {@code limit}. Every list
 * a person looks at (runs, reports, syncs, snapshots ...) is read a page at a time, so a grid in
 * the web UI and a {@code CALL} with {@code limit}/{@code offset} arguments read the same way.
 */
public record PageRequest(int offset, int limit) {

  /** Longest page: more than a person reads, small enough to answer quickly. */
  public static final int MAX_LIMIT = 10_000;

  public PageRequest {
    check(null, offset, limit);
  }

  public static PageRequest of(int offset, int limit) {
    return new PageRequest(offset, limit);
  }

  /** The first {@code limit} items. */
  public static PageRequest first(int limit) {
    return new PageRequest(0, limit);
  }

  /**
   * Checks paging arguments; the message names the bad value and, when given, what was called
   * ({@code lake.platform.list_runs: limit must be between 1 and 10000, got 0}).
   */
  public static PageRequest of(String context, int offset, int limit) {
    check(context, offset, limit);
    return new PageRequest(offset, limit);
  }

  private static void check(String context, int offset, int limit) {
    String prefix = context == null ? "" : context + ": ";
    if (limit < 1 || limit > MAX_LIMIT) {
      throw PlatformException.invalidArgument("%slimit must be between 1 and %d, got %d", prefix, MAX_LIMIT, limit);
    }
    if (offset < 0) {
      throw PlatformException.invalidArgument("%soffset must be 0 or more, got %d", prefix, offset);
    }
  }
}
