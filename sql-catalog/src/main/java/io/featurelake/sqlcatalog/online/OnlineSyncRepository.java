package io.featurelake.sqlcatalog.online;

import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sync cursors and sync history in the catalog database (plain JDBC, SQL that runs on H2 and
 * PostgreSQL alike). A sync moves from RUNNING to SUCCEEDED or FAILED exactly once; the cursor
 * moves in the same transaction as the SUCCEEDED transition, so a crash between the two cannot
 * leave a cursor ahead of a sync that did not finish. Each sync records the process that runs it
 * and a heartbeat, so one left RUNNING by a killed process can be marked FAILED later
 * ({@link AbandonedSyncs}); that never touches the cursor, and a sync so marked can no longer
 * move it.
 */
public final class OnlineSyncRepository {

  private static final String SYNC_COLUMNS = "sync_id, feature_view, mode, status, from_snapshot_id, to_snapshot_id, "
      + "rows_read, entities_changed, keys_written, keys_applied, keys_kept_newer, message, started_by, started_at, "
      + "finished_at, duration_ms, owner_host, owner_pid, heartbeat_at, keys_retracted, keys_deleted";

  private final DataSource db;

  public OnlineSyncRepository(DataSource db) {
    this.db = db;
  }

  public Optional<SyncCursor> cursor(String featureView) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT feature_view, table_name, snapshot_id, sequence_number, "
            + "snapshot_at, sync_id, updated_at FROM online_sync_cursors WHERE feature_view = ?")) {
      ps.setString(1, featureView);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(cursorOf(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot read the sync cursor of " + featureView, e);
    }
  }

  public List<SyncCursor> cursors() {
    List<SyncCursor> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT feature_view, table_name, snapshot_id, sequence_number, "
            + "snapshot_at, sync_id, updated_at FROM online_sync_cursors ORDER BY feature_view");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(cursorOf(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot read the sync cursors", e);
    }
  }

  /** Records a sync as RUNNING, owned by {@code owner} (heartbeat: now), and returns its id. */
  public long start(String featureView, String mode, Long fromSnapshotId, long toSnapshotId, String startedBy,
      ProcessOwner owner) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO online_syncs (feature_view, mode, status, "
            + "from_snapshot_id, to_snapshot_id, started_by, started_at, owner_host, owner_pid, heartbeat_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      OffsetDateTime now = now();
      ps.setString(1, featureView);
      ps.setString(2, mode);
      ps.setString(3, OnlineSync.RUNNING);
      setLong(ps, 4, fromSnapshotId);
      ps.setLong(5, toSnapshotId);
      ps.setString(6, startedBy);
      ps.setObject(7, now);
      ps.setString(8, owner.host());
      ps.setLong(9, owner.pid());
      ps.setObject(10, now);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot record the start of a sync of " + featureView, e);
    }
  }

  /** The owner of a RUNNING sync is alive: refreshes its heartbeat. False if the sync is no longer RUNNING. */
  public boolean heartbeat(long syncId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE online_syncs SET heartbeat_at = ? WHERE sync_id = ? AND status = ?")) {
      ps.setObject(1, now());
      ps.setLong(2, syncId);
      ps.setString(3, OnlineSync.RUNNING);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot record the heartbeat of sync " + syncId, e);
    }
  }

  /** RUNNING syncs, oldest first; {@code featureView} null means all views. */
  public List<OnlineSync> running(String featureView) {
    String sql = "SELECT " + SYNC_COLUMNS + " FROM online_syncs WHERE status = ?"
        + (featureView == null ? "" : " AND feature_view = ?") + " ORDER BY sync_id";
    List<OnlineSync> out = new ArrayList<>();
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, OnlineSync.RUNNING);
      if (featureView != null) {
        ps.setString(2, featureView);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(syncOf(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot list running syncs", e);
    }
  }

  /**
   * Marks a RUNNING sync FAILED as abandoned, with {@code reason} as its message; the cursor is not
   * touched. With {@code silentBefore} set, only if its last sign of life (heartbeat, else start)
   * is still before that instant: an owner that proved alive meanwhile keeps its sync. Returns the
   * sync if it was marked, empty if it had moved on (finished, or marked by someone else).
   */
  public Optional<OnlineSync> abandon(long syncId, String reason, OffsetDateTime silentBefore) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      OffsetDateTime started;
      try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM online_syncs WHERE sync_id = ?")) {
        ps.setLong(1, syncId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          started = rs.getObject(1, OffsetDateTime.class);
        }
      }
      OffsetDateTime now = now();
      try (PreparedStatement ps = c.prepareStatement("UPDATE online_syncs SET status = ?, message = ?, finished_at = ?, "
          + "duration_ms = ? WHERE sync_id = ? AND status = ?"
          + (silentBefore == null ? "" : " AND COALESCE(heartbeat_at, started_at) < ?"))) {
        ps.setString(1, OnlineSync.FAILED);
        ps.setString(2, reason);
        ps.setObject(3, now);
        ps.setLong(4, java.time.Duration.between(started, now).toMillis());
        ps.setLong(5, syncId);
        ps.setString(6, OnlineSync.RUNNING);
        if (silentBefore != null) {
          ps.setObject(7, silentBefore);
        }
        if (ps.executeUpdate() != 1) {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot mark sync " + syncId + " abandoned", e);
    }
    return find(syncId);
  }

  /**
   * Counts of a finished sync; {@code keysRetracted} and {@code keysDeleted} come from the
   * retraction pass of an incremental sync (rows removed from main).
   */
  public record Counts(long rowsRead, long entitiesChanged, long keysWritten, long keysApplied, long keysKeptNewer,
      long keysRetracted, long keysDeleted) {

    /** Counts of a sync without retractions. */
    public Counts(long rowsRead, long entitiesChanged, long keysWritten, long keysApplied, long keysKeptNewer) {
      this(rowsRead, entitiesChanged, keysWritten, keysApplied, keysKeptNewer, 0, 0);
    }
  }

  /**
   * Marks the sync SUCCEEDED and moves the view's cursor to the snapshot it synced, in one
   * transaction. Fails if the sync is no longer RUNNING.
   */
  public OnlineSync succeed(long syncId, Counts counts, SyncCursor cursor, String message) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        finish(c, syncId, OnlineSync.SUCCEEDED, counts, message);
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE online_sync_cursors SET table_name = ?, snapshot_id = ?, "
            + "sequence_number = ?, snapshot_at = ?, sync_id = ?, updated_at = ? WHERE feature_view = ?")) {
          bindCursor(ps, cursor, syncId);
          ps.setString(7, cursor.featureView());
          updated = ps.executeUpdate();
        }
        if (updated == 0) {
          // No ON CONFLICT: it is not portable between H2 and PostgreSQL. Two syncs of one view
          // racing here would make one insert fail on the primary key and roll back, which is right.
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO online_sync_cursors (table_name, snapshot_id, "
              + "sequence_number, snapshot_at, sync_id, updated_at, feature_view) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            bindCursor(ps, cursor, syncId);
            ps.setString(7, cursor.featureView());
            ps.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot record the end of sync " + syncId, e);
    }
    return find(syncId).orElseThrow();
  }

  /** Marks the sync FAILED; the cursor does not move. Counts may be null (failed before counting). */
  public OnlineSync fail(long syncId, Counts countsOrNull, String message) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      finish(c, syncId, OnlineSync.FAILED, countsOrNull, message);
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot record the failure of sync " + syncId, e);
    }
    return find(syncId).orElseThrow();
  }

  public Optional<OnlineSync> find(long syncId) {
    return one("SELECT " + SYNC_COLUMNS + " FROM online_syncs WHERE sync_id = ?", syncId);
  }

  /** The newest sync of the view, whatever its status. */
  public Optional<OnlineSync> last(String featureView) {
    return one("SELECT " + SYNC_COLUMNS + " FROM online_syncs WHERE feature_view = ? ORDER BY sync_id DESC LIMIT 1",
        featureView);
  }

  /** Syncs, newest first; {@code featureView} null means all views. */
  public List<OnlineSync> list(String featureView, int limit) {
    String sql = "SELECT " + SYNC_COLUMNS + " FROM online_syncs" + (featureView == null ? "" : " WHERE feature_view = ?")
        + " ORDER BY sync_id DESC LIMIT " + limit;
    List<OnlineSync> out = new ArrayList<>();
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (featureView != null) {
        ps.setString(1, featureView);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(syncOf(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot list syncs", e);
    }
  }

  /** One page of syncs, newest first; {@code featureView} null means all views. */
  public Page<OnlineSync> page(String featureView, PageRequest page) {
    try {
      return PagedSql.page(db, "SELECT " + SYNC_COLUMNS, "FROM online_syncs" + (featureView == null ? "" : " WHERE feature_view = ?"),
          featureView == null ? List.of() : List.of(featureView), "ORDER BY sync_id DESC", page, OnlineSyncRepository::syncOf);
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot list syncs", e);
    }
  }

  private void finish(Connection c, long syncId, String status, Counts counts, String message) throws SQLException {
    OffsetDateTime now = now();
    OffsetDateTime started;
    try (PreparedStatement ps = c.prepareStatement("SELECT started_at FROM online_syncs WHERE sync_id = ?")) {
      ps.setLong(1, syncId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("Unknown sync " + syncId);
        }
        started = rs.getObject(1, OffsetDateTime.class);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE online_syncs SET status = ?, rows_read = ?, "
        + "entities_changed = ?, keys_written = ?, keys_applied = ?, keys_kept_newer = ?, message = ?, finished_at = ?, "
        + "duration_ms = ?, keys_retracted = ?, keys_deleted = ? WHERE sync_id = ? AND status = ?")) {
      ps.setString(1, status);
      setLong(ps, 2, counts == null ? null : counts.rowsRead());
      setLong(ps, 3, counts == null ? null : counts.entitiesChanged());
      setLong(ps, 4, counts == null ? null : counts.keysWritten());
      setLong(ps, 5, counts == null ? null : counts.keysApplied());
      setLong(ps, 6, counts == null ? null : counts.keysKeptNewer());
      ps.setString(7, message);
      ps.setObject(8, now);
      ps.setLong(9, java.time.Duration.between(started, now).toMillis());
      setLong(ps, 10, counts == null ? null : counts.keysRetracted());
      setLong(ps, 11, counts == null ? null : counts.keysDeleted());
      ps.setLong(12, syncId);
      ps.setString(13, OnlineSync.RUNNING);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("Sync " + syncId + " is no longer " + OnlineSync.RUNNING + "; cannot mark it " + status);
      }
    }
  }

  private static void bindCursor(PreparedStatement ps, SyncCursor cursor, long syncId) throws SQLException {
    ps.setString(1, cursor.tableName());
    ps.setLong(2, cursor.snapshotId());
    ps.setLong(3, cursor.sequenceNumber());
    ps.setObject(4, cursor.snapshotAt());
    ps.setLong(5, syncId);
    ps.setObject(6, now());
  }

  private Optional<OnlineSync> one(String sql, Object key) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(syncOf(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new OnlineSyncStoreException("Cannot read syncs", e);
    }
  }

  private static SyncCursor cursorOf(ResultSet rs) throws SQLException {
    return new SyncCursor(rs.getString("feature_view"), rs.getString("table_name"), rs.getLong("snapshot_id"),
        rs.getLong("sequence_number"), rs.getObject("snapshot_at", OffsetDateTime.class), rs.getLong("sync_id"),
        rs.getObject("updated_at", OffsetDateTime.class));
  }

  private static OnlineSync syncOf(ResultSet rs) throws SQLException {
    return new OnlineSync(rs.getLong("sync_id"), rs.getString("feature_view"), rs.getString("mode"), rs.getString("status"),
        longOrNull(rs, "from_snapshot_id"), rs.getLong("to_snapshot_id"), longOrNull(rs, "rows_read"),
        longOrNull(rs, "entities_changed"), longOrNull(rs, "keys_written"), longOrNull(rs, "keys_applied"),
        longOrNull(rs, "keys_kept_newer"), rs.getString("message"), rs.getString("started_by"),
        rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
        longOrNull(rs, "duration_ms"), rs.getString("owner_host"), longOrNull(rs, "owner_pid"),
        rs.getObject("heartbeat_at", OffsetDateTime.class), longOrNull(rs, "keys_retracted"), longOrNull(rs, "keys_deleted"));
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, value);
    }
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
