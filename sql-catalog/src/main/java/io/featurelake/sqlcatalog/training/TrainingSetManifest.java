package io.featurelake.sqlcatalog.training;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Everything needed to rebuild a training set without looking at anything that may have changed
 * since: the spine's snapshot, and per feature view the snapshots of main that were current while
 * the labels happened (with the interval each was current), the columns, the TTL and the mode.
 *
 * @param spineTable the spine's table ({@code lake.ml.labels}), or null when the spine is a query
 * @param spineSnapshotId the spine table's snapshot read, or null for a query spine
 * @param minLabelMs earliest label time in the spine, epoch ms (null for an empty spine)
 * @param outputSnapshotId the snapshot of {@code lake.training.<name>} that holds the rows
 */
public record TrainingSetManifest(
    String name,
    String tableName,
    String mode,
    String spine,
    String spineTable,
    Long spineSnapshotId,
    String labelTimeColumn,
    String features,
    String entityMapping,
    Long minLabelMs,
    Long maxLabelMs,
    long spineRows,
    long outputRows,
    Long outputSnapshotId,
    String gitCommit,
    String createdBy,
    OffsetDateTime createdAt,
    long durationMs,
    List<ViewInput> views) {

  public TrainingSetManifest {
    views = List.copyOf(views);
  }

  /** One joined feature view: its definition's identity, columns, TTL, pinned snapshots and the runs used. */
  public record ViewInput(
      String featureView,
      String tableName,
      String definitionSha256,
      String definitionCommit,
      List<String> entityColumns,
      List<String> spineColumns,
      String eventTimeColumn,
      List<String> features,
      Long ttlSeconds,
      long matchedRows,
      List<PinnedSnapshot> snapshots,
      List<RunUsage> runs) {

    public ViewInput {
      entityColumns = List.copyOf(entityColumns);
      spineColumns = List.copyOf(spineColumns);
      features = List.copyOf(features);
      snapshots = List.copyOf(snapshots);
      runs = List.copyOf(runs);
    }
  }

  /**
   * A snapshot of main and the interval [visibleFromMs, visibleUntilMs) in which it was main's
   * current snapshot (null = unbounded); {@code pinRef} is the tag that keeps it from expiry.
   */
  public record PinnedSnapshot(long snapshotId, Long visibleFromMs, Long visibleUntilMs, String pinRef) {}

  /** A backfill run whose rows filled {@code rowsUsed} spine rows. */
  public record RunUsage(long runId, long rowsUsed) {}
}
