package io.featurelake.sqlcatalog.jobs;

import io.featurelake.sqlcatalog.database.CatalogDatabaseException;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import io.featurelake.sqlcatalog.process.ProcessOwner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Asynchronous jobs in the catalog database. Every state change is a compare-and-set on the
 * current state ({@code UPDATE ... WHERE state IN (...)}), so a cancel, the worker and another
 * process judging the job abandoned can never both move it: the loser sees {@code false}.
 */
public final class JobRepository {

  private static final String COLUMNS = "job_id, kind, target, arguments, state, step, step_at, result, message, "
      + "started_by, owner_host, owner_pid, created_at, started_at, finished_at, heartbeat_at";

  private final DataSource db;

  public JobRepository(DataSource db) {
    this.db = db;
  }

  /** Records a PENDING job owned by {@code owner}; returns it. */
  public PlatformJob create(JobKind kind, String target, String arguments, String step, String startedBy,
      ProcessOwner owner) {
    OffsetDateTime now = now();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO platform_jobs (kind, target, arguments, state, step, "
            + "step_at, started_by, owner_host, owner_pid, created_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, kind.label());
      ps.setString(2, target);
      ps.setString(3, arguments);
      ps.setString(4, JobState.PENDING.name());
      ps.setString(5, step);
      ps.setObject(6, now);
      ps.setString(7, startedBy);
      ps.setString(8, owner.host());
      ps.setLong(9, owner.pid());
      ps.setObject(10, now);
      ps.setObject(11, now);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return find(keys.getLong(1)).orElseThrow();
      }
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot record a " + kind.label() + " job of " + target, e);
    }
  }

  /** PENDING → RUNNING; false when the job is no longer PENDING (cancelled while queued). */
  public boolean start(long jobId, String step) {
    OffsetDateTime now = now();
    return update(jobId, List.of(JobState.PENDING), "state = ?, step = ?, step_at = ?, started_at = ?, heartbeat_at = ?",
        JobState.RUNNING.name(), step, now, now, now);
  }

  /** What a RUNNING job does now; also its heartbeat. */
  public boolean step(long jobId, String step) {
    OffsetDateTime now = now();
    return update(jobId, List.of(JobState.PENDING, JobState.RUNNING), "step = ?, step_at = ?, heartbeat_at = ?", step, now,
        now);
  }

  /** A sign of life of a RUNNING job. */
  public boolean heartbeat(long jobId) {
    return update(jobId, List.of(JobState.RUNNING), "heartbeat_at = ?", now());
  }

  /** RUNNING → SUCCEEDED with what it produced; false when it is no longer RUNNING. */
  public boolean succeed(long jobId, String result, String message) {
    OffsetDateTime now = now();
    return update(jobId, List.of(JobState.RUNNING), "state = ?, result = ?, message = ?, step = ?, step_at = ?, "
        + "finished_at = ?", JobState.SUCCEEDED.name(), result, message, "done", now, now);
  }

  /** {@code from} → FAILED with the reason; false when the job is in none of {@code from}. */
  public boolean fail(long jobId, Collection<JobState> from, String message) {
    OffsetDateTime now = now();
    return update(jobId, from, "state = ?, message = ?, step_at = ?, finished_at = ?", JobState.FAILED.name(), message,
        now, now);
  }

  /**
   * Marks an in-flight job FAILED as abandoned; when judged by silence, only if its heartbeat is
   * still older than {@code silentBefore} (a heartbeat in between proves its owner alive).
   */
  public boolean abandon(long jobId, String reason, OffsetDateTime silentBeforeOrNull) {
    OffsetDateTime now = now();
    String sql = "UPDATE platform_jobs SET state = ?, message = ?, step_at = ?, finished_at = ? WHERE job_id = ? "
        + "AND state IN (?, ?)" + (silentBeforeOrNull == null ? "" : " AND heartbeat_at < ?");
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, JobState.FAILED.name());
      ps.setString(2, reason);
      ps.setObject(3, now);
      ps.setObject(4, now);
      ps.setLong(5, jobId);
      ps.setString(6, JobState.PENDING.name());
      ps.setString(7, JobState.RUNNING.name());
      if (silentBeforeOrNull != null) {
        ps.setObject(8, silentBeforeOrNull);
      }
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot mark job " + jobId + " abandoned", e);
    }
  }

  public Optional<PlatformJob> find(long jobId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM platform_jobs WHERE job_id = ?")) {
      ps.setLong(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot read job " + jobId, e);
    }
  }

  /** PENDING and RUNNING jobs, oldest first. */
  public List<PlatformJob> inFlight() {
    List<PlatformJob> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM platform_jobs WHERE state IN (?, ?) "
            + "ORDER BY job_id")) {
      ps.setString(1, JobState.PENDING.name());
      ps.setString(2, JobState.RUNNING.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot read the jobs in flight", e);
    }
  }

  /** Jobs newest first, of one kind when {@code kindOrNull} is set. */
  public Page<PlatformJob> page(JobKind kindOrNull, PageRequest page) {
    try {
      return PagedSql.page(db, "SELECT " + COLUMNS, "FROM platform_jobs" + (kindOrNull == null ? "" : " WHERE kind = ?"),
          kindOrNull == null ? List.of() : List.of(kindOrNull.label()), "ORDER BY job_id DESC", page, JobRepository::map);
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot list jobs", e);
    }
  }

  private boolean update(long jobId, Collection<JobState> from, String set, Object... values) {
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < from.size(); i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE platform_jobs SET " + set + " WHERE job_id = ? AND state IN ("
            + in + ")")) {
      int i = 0;
      for (Object v : values) {
        ps.setObject(++i, v);
      }
      ps.setLong(++i, jobId);
      for (JobState s : from) {
        ps.setString(++i, s.name());
      }
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Cannot update job " + jobId, e);
    }
  }

  private static PlatformJob map(ResultSet rs) throws SQLException {
    return new PlatformJob(rs.getLong("job_id"), JobKind.ofLabel(rs.getString("kind")), rs.getString("target"),
        rs.getString("arguments"), JobState.valueOf(rs.getString("state")), rs.getString("step"), time(rs, "step_at"),
        rs.getString("result"), rs.getString("message"), rs.getString("started_by"), rs.getString("owner_host"),
        rs.getLong("owner_pid"), time(rs, "created_at"), time(rs, "started_at"), time(rs, "finished_at"),
        time(rs, "heartbeat_at"));
  }

  private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
