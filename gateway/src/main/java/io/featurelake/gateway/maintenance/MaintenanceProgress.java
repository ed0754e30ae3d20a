package io.featurelake.gateway.maintenance;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a caller sees of a maintenance while it runs: each step as it starts, and a way to stop
 * it between steps (an asynchronous job's cancel). Every step is one atomic Iceberg commit (or
 * none), so stopping between two leaves each table as the finished steps left it.
 */
public record MaintenanceProgress(Consumer<String> step, BooleanSupplier cancelled) {

  /** A caller that waits: no step lines, never cancelled. */
  public static final MaintenanceProgress NONE = new MaintenanceProgress(line -> { }, () -> false);

  /** Reports the step about to start; stops first if the caller cancelled. */
  void starting(String line) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("stopped before: " + line);
    }
    step.accept(line);
  }
}
