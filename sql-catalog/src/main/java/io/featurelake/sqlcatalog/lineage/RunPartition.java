package io.featurelake.sqlcatalog.lineage;

import java.time.LocalDate;

/**
 * What became of one day partition a run published, judged from main's history since the run's
 * data commit.
 *
 * @param partition the day
 * @param status where its data stands
 * @param cause the later commit that superseded or changed it, or null
 * @param detail one line for people
 */
public record RunPartition(LocalDate partition, Status status, PartitionEvent cause, String detail) {

  /** Where a run's partition stands on main. */
  public enum Status {
    /** Main still holds the run's rows (possibly compacted into other files). */
    ON_MAIN,
    /** A later platform run replaced the partition. */
    SUPERSEDED,
    /** A write outside the platform replaced or changed the partition after the run. */
    CHANGED_OUTSIDE,
    /** Main's history no longer reaches the run's commit (expired), so nothing can be said. */
    UNKNOWN
  }
}
