package io.featurelake.sqlcatalog.runs;

import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Backfill runs and their state history in the catalog database. Every state change is a
 * compare-and-set on the current state ({@code UPDATE ... WHERE state = ?}) plus an event row,
 * in one transaction, so two processes can never both move the same run.
 */
public final class RunRepository {

  private static final String COLUMNS = "run_id, feature_view, table_name, start_date, end_date, state, branch, "
      + "base_snapshot_id, written_snapshot_id, audited_snapshot_id, published_snapshot_id, row_count, report_id, "
      + "definition_sha256, git_commit, git_dirty, source_snapshots, publish_requested, started_by, origin, owner_host, "
      + "owner_pid, message, created_at, updated_at, heartbeat_at, published_at";

  private final DataSource db;

  public RunRepository(DataSource db) {
    this.db = db;
  }

  /** Stores a new run in state PENDING and returns it with its id and branch name. */
  public BackfillRun create(NewRun run) {
    OffsetDateTime now = now();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      long id;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO backfill_runs (feature_view, table_name, start_date, "
          + "end_date, state, branch, definition_sha256, git_commit, git_dirty, source_snapshots, publish_requested, "
          + "started_by, origin, owner_host, owner_pid, created_at, updated_at, heartbeat_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        int i = 0;
        ps.setString(++i, run.featureView());
        ps.setString(++i, run.tableName());
        ps.setObject(++i, run.startDate());
        ps.setObject(++i, run.endDate());
        ps.setString(++i, RunState.PENDING.name());
        ps.setString(++i, "pending");
        ps.setString(++i, run.definitionSha256());
        ps.setString(++i, run.gitCommit());
        ps.setBoolean(++i, run.gitDirty());
        ps.setString(++i, encodeSources(run.sourceSnapshots()));
        ps.setBoolean(++i, run.publishRequested());
        ps.setString(++i, run.startedBy());
        ps.setString(++i, run.origin());
        ps.setString(++i, run.ownerHost());
        ps.setLong(++i, run.ownerPid());
        ps.setObject(++i, now);
        ps.setObject(++i, now);
        ps.setObject(++i, now);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_runs SET branch = ? WHERE run_id = ?")) {
        ps.setString(1, BackfillRun.branchName(id));
        ps.setLong(2, id);
        ps.executeUpdate();
      }
      insertEvent(c, id, null, RunState.PENDING, "created for " + run.featureView() + " [" + run.startDate() + ","
          + run.endDate() + ") by " + run.startedBy() + " via " + run.origin(), now);
      c.commit();
      return find(id).orElseThrow();
    } catch (SQLException e) {
      throw new RunStoreException("Cannot create a backfill run: " + e.getMessage(), e);
    }
  }

  /** Moves a run from its current state to {@code target}; refuses an illegal move or a lost race. */
  public BackfillRun transition(long runId, RunState target, RunUpdate update, String message) {
    BackfillRun current = find(runId).orElseThrow(() -> new RunNotFoundException(runId));
    if (!current.state().canMoveTo(target)) {
      throw new IllegalRunTransitionException(runId, current.state(), target);
    }
    OffsetDateTime now = now();
    StringBuilder sql = new StringBuilder("UPDATE backfill_runs SET state = ?, updated_at = ?, heartbeat_at = ?");
    for (String column : update.columns.keySet()) {
      sql.append(", ").append(column).append(" = ?");
    }
    sql.append(" WHERE run_id = ? AND state = ?");
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 0;
        ps.setString(++i, target.name());
        ps.setObject(++i, now);
        ps.setObject(++i, now);
        for (Object value : update.columns.values()) {
          if (value == RunUpdate.Now.INSTANCE) {
            ps.setObject(++i, now);
          } else if (value == null) {
            ps.setNull(++i, Types.NULL);
          } else {
            ps.setObject(++i, value);
          }
        }
        ps.setLong(++i, runId);
        ps.setString(++i, current.state().name());
        if (ps.executeUpdate() != 1) {
          c.rollback();
          RunState actual = find(runId).map(BackfillRun::state).orElse(current.state());
          throw new IllegalRunTransitionException(runId, actual, target);
        }
      }
      insertEvent(c, runId, current.state(), target, message, now);
      c.commit();
    } catch (SQLException e) {
      throw new RunStoreException("Cannot move run " + runId + " to " + target + ": " + e.getMessage(), e);
    }
    return find(runId).orElseThrow();
  }

  /** Records progress without a state change (and proves the owner is alive). */
  public void heartbeat(long runId, String message) {
    OffsetDateTime now = now();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      RunState state;
      try (PreparedStatement ps = c.prepareStatement("UPDATE backfill_runs SET heartbeat_at = ? WHERE run_id = ?")) {
        ps.setObject(1, now);
        ps.setLong(2, runId);
        ps.executeUpdate();
      }
      state = find(c, runId).map(BackfillRun::state).orElseThrow(() -> new RunNotFoundException(runId));
      if (message != null) {
        insertEvent(c, runId, state, state, message, now);
      }
      c.commit();
    } catch (SQLException e) {
      throw new RunStoreException("Cannot record progress of run " + runId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Records what the run is doing now (a live progress line, not an event: it is refreshed every
   * few seconds) and proves its owner is alive.
   */
  public void progress(long runId, String line) {
    OffsetDateTime now = now();
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "UPDATE backfill_runs SET progress = ?, progress_at = ?, heartbeat_at = ? WHERE run_id = ?")) {
      ps.setString(1, line);
      ps.setObject(2, now);
      ps.setObject(3, now);
      ps.setLong(4, runId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new RunStoreException("Cannot record progress of run " + runId + ": " + e.getMessage(), e);
    }
  }

  public Optional<BackfillRun> find(long runId) {
    try (Connection c = db.getConnection()) {
      return find(c, runId);
    } catch (SQLException e) {
      throw new RunStoreException("Cannot read run " + runId + ": " + e.getMessage(), e);
    }
  }

  /** Newest first; {@code featureView} null = all views. */
  public List<BackfillRun> list(String featureView, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM backfill_runs"
        + (featureView == null ? "" : " WHERE feature_view = ?") + " ORDER BY run_id DESC";
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (featureView != null) {
        ps.setString(1, featureView);
      }
      ps.setMaxRows(limit);
      return readAll(ps);
    } catch (SQLException e) {
      throw new RunStoreException("Cannot list runs: " + e.getMessage(), e);
    }
  }

  /** Runs in one of the given states, oldest first. */
  public List<BackfillRun> inStates(Set<RunState> states) {
    String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM backfill_runs WHERE state IN (" + in + ") ORDER BY run_id")) {
      return readAll(ps);
    } catch (SQLException e) {
      throw new RunStoreException("Cannot list runs: " + e.getMessage(), e);
    }
  }

  /** One page of runs, newest first; {@code featureView} and {@code state} null = any. */
  public Page<BackfillRun> page(String featureView, RunState state, PageRequest page) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (featureView != null) {
      where.add("feature_view = ?");
      params.add(featureView);
    }
    if (state != null) {
      where.add("state = ?");
      params.add(state.name());
    }
    String from = "FROM backfill_runs" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
    try {
      return PagedSql.page(db, "SELECT " + COLUMNS, from, params, "ORDER BY run_id DESC", page, RunRepository::runOf);
    } catch (SQLException e) {
      throw new RunStoreException("Cannot list runs: " + e.getMessage(), e);
    }
  }

  /** One page of a run's events, oldest first. */
  public Page<RunEvent> eventPage(long runId, PageRequest page) {
    try {
      return PagedSql.page(db, "SELECT event_id, run_id, at, from_state, to_state, message",
          "FROM backfill_run_events WHERE run_id = ?", List.of(runId), "ORDER BY event_id", page, RunRepository::eventOf);
    } catch (SQLException e) {
      throw new RunStoreException("Cannot read events of run " + runId + ": " + e.getMessage(), e);
    }
  }

  private static RunEvent eventOf(ResultSet rs) throws SQLException {
    String from = rs.getString("from_state");
    return new RunEvent(rs.getLong("event_id"), rs.getLong("run_id"), rs.getObject("at", OffsetDateTime.class),
        from == null ? null : RunState.valueOf(from), RunState.valueOf(rs.getString("to_state")), rs.getString("message"));
  }

  public List<RunEvent> events(long runId) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT event_id, run_id, at, from_state, to_state, message "
             + "FROM backfill_run_events WHERE run_id = ? ORDER BY event_id")) {
      ps.setLong(1, runId);
      List<RunEvent> events = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events.add(eventOf(rs));
        }
      }
      return events;
    } catch (SQLException e) {
      throw new RunStoreException("Cannot read events of run " + runId + ": " + e.getMessage(), e);
    }
  }

  private Optional<BackfillRun> find(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM backfill_runs WHERE run_id = ?")) {
      ps.setLong(1, runId);
      List<BackfillRun> runs = readAll(ps);
      return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }
  }

  private static List<BackfillRun> readAll(PreparedStatement ps) throws SQLException {
    List<BackfillRun> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(runOf(rs));
      }
    }
    return out;
  }

  private static BackfillRun runOf(ResultSet rs) throws SQLException {
    return new BackfillRun(
            rs.getLong("run_id"), rs.getString("feature_view"), rs.getString("table_name"),
            rs.getObject("start_date", LocalDate.class), rs.getObject("end_date", LocalDate.class),
            RunState.valueOf(rs.getString("state")), rs.getString("branch"),
            nullableLong(rs, "base_snapshot_id"), nullableLong(rs, "written_snapshot_id"),
            nullableLong(rs, "audited_snapshot_id"), nullableLong(rs, "published_snapshot_id"),
            nullableLong(rs, "row_count"), nullableLong(rs, "report_id"),
            rs.getString("definition_sha256"), rs.getString("git_commit"), rs.getBoolean("git_dirty"),
            decodeSources(rs.getString("source_snapshots")), rs.getBoolean("publish_requested"),
            rs.getString("started_by"), rs.getString("origin"), rs.getString("owner_host"), rs.getLong("owner_pid"),
            rs.getString("message"), rs.getObject("created_at", OffsetDateTime.class),
            rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("heartbeat_at", OffsetDateTime.class),
            rs.getObject("published_at", OffsetDateTime.class));
  }

  private static void insertEvent(Connection c, long runId, RunState from, RunState to, String message, OffsetDateTime at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO backfill_run_events (run_id, at, from_state, to_state, message) VALUES (?, ?, ?, ?, ?)")) {
      ps.setLong(1, runId);
      ps.setObject(2, at);
      ps.setString(3, from == null ? null : from.name());
      ps.setString(4, to.name());
      ps.setString(5, message);
      ps.executeUpdate();
    }
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** {@code lake.raw.events=123,lake.raw.items=456}: stable, sorted, readable in SQL. */
  static String encodeSources(Map<String, Long> sources) {
    return sources.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + (e.getValue() == null ? "none" : e.getValue()))
        .collect(Collectors.joining(","));
  }

  static Map<String, Long> decodeSources(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String pair : text.split(",")) {
      int eq = pair.lastIndexOf('=');
      String value = pair.substring(eq + 1);
      out.put(pair.substring(0, eq), value.equals("none") ? null : Long.parseLong(value));
    }
    return out;
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
