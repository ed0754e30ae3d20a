package io.featurelake.gateway.lineage;

import java.util.List;

/**
 * The outcome of {@code reproduce_run}.
 *
 * @param runId the reproduced run
 * @param verdict REPRODUCED when every partition matches (superseded ones against the tag only), else DIFFERS
 * @param scratchBranch the branch the recomputation was written to (removed again)
 * @param partitions one comparison per day of the run's window
 */
public record ReproduceResult(long runId, Verdict verdict, String scratchBranch, List<PartitionComparison> partitions) {

  /** The overall verdict. */
  public enum Verdict {
    REPRODUCED,
    DIFFERS
  }

  public List<PartitionComparison> differing() {
    return partitions.stream().filter(p -> p.status() == PartitionComparison.Status.DIFFERS).toList();
  }
}
