package io.featurelake.gateway.demo;

import java.time.Duration;
import java.time.LocalDate;

/**
 * What one {@link EventGenerator#generate} call wrote: the window {@code [start, endExclusive)},
 * the rows (exactly {@code days * eventsPerDay}) and the Iceberg snapshot it committed.
 */
public record GenerationResult(
    String table,
    LocalDate start,
    LocalDate endExclusive,
    int days,
    long rowsWritten,
    long snapshotId,
    Duration duration) {

  public double seconds() {
    return duration.toNanos() / 1e9;
  }
}
