package io.featurelake.sqlcatalog.runs;

import io.featurelake.sqlcatalog.lake.LakeNames;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

/** One backfill run as stored in the catalog database. Snapshot ids are null until known. */
public record BackfillRun(
    long runId,
    String featureView,
    String tableName,
    LocalDate startDate,
    LocalDate endDate,
    RunState state,
    String branch,
    Long baseSnapshotId,
    Long writtenSnapshotId,
    Long auditedSnapshotId,
    Long publishedSnapshotId,
    Long rowCount,
    Long reportId,
    String definitionSha256,
    String gitCommit,
    boolean gitDirty,
    Map<String, Long> sourceSnapshots,
    boolean publishRequested,
    String startedBy,
    String origin,
    String ownerHost,
    long ownerPid,
    String message,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime heartbeatAt,
    OffsetDateTime publishedAt) {

  /** The window as written in snapshot summaries: {@code [2023-01-01,2023-01-02)}. */
  public String window() {
    return "[" + startDate + "," + endDate + ")";
  }

  /** The Iceberg tag that marks the published snapshot. */
  public String tag() {
    return LakeNames.runTag(runId);
  }

  public static String branchName(long runId) {
    return LakeNames.auditBranch(runId);
  }
}
