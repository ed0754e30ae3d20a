package io.featurelake.sqlcatalog.tables;

/**
 * A branch or tag of a table.
 *
 * @param type {@code BRANCH} or {@code TAG}
 * @param maxRefAgeMs how long the ref itself is kept (null: forever / table default)
 */
public record RefInfo(String name, String type, long snapshotId, Long maxRefAgeMs, Long maxSnapshotAgeMs,
    Integer minSnapshotsToKeep) {

  public boolean isBranch() {
    return "BRANCH".equals(type);
  }
}
