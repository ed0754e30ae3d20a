package io.featurelake.gateway.lineage;

import java.time.LocalDate;

/**
 * One day partition of a reproduced run: the recomputation against what the run published (its
 * tag) and against main.
 *
 * @param partition the day
 * @param status MATCHES, DIFFERS or SUPERSEDED (a later run replaced it on main; compared with the tag only)
 * @param recomputed rows and checksum of the recomputation on the scratch branch
 * @param published rows and checksum at the run's tag
 * @param main rows and checksum on main now, or null when main was not compared (superseded)
 * @param detail which comparison failed, or where the partition stands on main
 */
public record PartitionComparison(LocalDate partition, Status status, Checksum recomputed, Checksum published,
    Checksum main, String detail) {

  /** The verdict for one partition. */
  public enum Status {
    MATCHES,
    DIFFERS,
    SUPERSEDED
  }

  /**
   * Row count and an order-independent checksum: the sum of a 64-bit hash of every row.
   *
   * @param rows row count
   * @param checksum sum of {@code xxhash64} over the row's columns, as a decimal string
   */
  public record Checksum(long rows, String checksum) {
    static final Checksum EMPTY = new Checksum(0, "0");
  }
}
