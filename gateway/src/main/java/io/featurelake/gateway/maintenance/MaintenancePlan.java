package io.featurelake.gateway.maintenance;

import java.util.List;

/**
 * What maintenance of one table will do, decided before anything changes: the dry run's report
 * is this plan; an execution carries it out step by step.
 *
 * @param now              the time the plan was made (epoch ms), the reference of every age
 * @param staleAuditBranches branches of finished or unknown runs older than the cutoff
 * @param compaction       the bin-pack estimate (the dry run reports it; execution compacts for real)
 * @param expiryCutoff     snapshots older than this may expire (moved back to the oldest in-flight run's base)
 * @param snapshotsToExpire how many snapshots an expiry at {@code expiryCutoff} would remove now
 * @param inFlightNotes    why the cutoff was moved back, for the report
 */
record MaintenancePlan(String tableName, MaintenanceRequest request, long now, Stats before,
    List<String> staleAuditBranches, CompactionPlan compaction, long expiryCutoff, int snapshotsToExpire,
    List<String> inFlightNotes) {

  /** The dry run's line about compaction. */
  String compactionNote() {
    return "would compact " + compaction.partitions() + " partition(s): " + compaction.filesToRewrite() + " files -> about "
        + compaction.expectedOutputFiles();
  }
}
