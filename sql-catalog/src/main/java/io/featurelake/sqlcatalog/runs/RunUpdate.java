package io.featurelake.sqlcatalog.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/** Columns to set together with a state change; only what is set here is written. */
public final class RunUpdate {

  final Map<String, Object> columns = new LinkedHashMap<>();

  public static RunUpdate none() {
    return new RunUpdate();
  }

  public RunUpdate baseSnapshotId(Long id) {
    columns.put("base_snapshot_id", id);
    return this;
  }

  public RunUpdate writtenSnapshotId(Long id) {
    columns.put("written_snapshot_id", id);
    return this;
  }

  public RunUpdate auditedSnapshotId(Long id) {
    columns.put("audited_snapshot_id", id);
    return this;
  }

  public RunUpdate publishedSnapshotId(Long id) {
    columns.put("published_snapshot_id", id);
    return this;
  }

  public RunUpdate rowCount(Long rows) {
    columns.put("row_count", rows);
    return this;
  }

  public RunUpdate reportId(Long id) {
    columns.put("report_id", id);
    return this;
  }

  public RunUpdate message(String message) {
    columns.put("message", message);
    return this;
  }

  public RunUpdate branchExpiresAt(java.time.OffsetDateTime at) {
    columns.put("branch_expires_at", at);
    return this;
  }

  /** Who published a failed run anyway, and why. */
  public RunUpdate override(String by, String reason) {
    columns.put("override_by", by);
    columns.put("override_reason", reason);
    return this;
  }

  public RunUpdate publishedNow() {
    columns.put("published_at", Now.INSTANCE);
    return this;
  }

  /** Marker for "the current time" in an update. */
  enum Now { INSTANCE }
}
