package io.featurelake.sqlcatalog.runs;

import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Backfill runs as a person reads them: paged lists, one run, its events, its progress. */
public final class RunQueries {

  private final DataSource db;
  private final RunRepository runs;

  public RunQueries(DataSource db) {
    this.db = db;
    this.runs = new RunRepository(db);
  }

  /** Runs, newest first; {@code featureView} and {@code state} null = any. */
  public Page<BackfillRun> list(String featureView, RunState state, PageRequest page) {
    return runs.page(featureView, state, page);
  }

  public Optional<BackfillRun> find(long runId) {
    return runs.find(runId);
  }

  /** The run; NOT_FOUND {@code Unknown run 42} when there is none. */
  public BackfillRun get(long runId) {
    return runs.find(runId).orElseThrow(() -> PlatformException.notFound("Unknown run %d", runId));
  }

  /** Its state changes and notes, oldest first. */
  public Page<RunEvent> events(long runId, PageRequest page) {
    get(runId);
    return runs.eventPage(runId, page);
  }

  /** Its state, what it is doing and for how long. */
  public RunProgress progress(long runId) {
    BackfillRun run = get(runId);
    String live = null;
    OffsetDateTime liveAt = null;
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT progress, progress_at FROM backfill_runs WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          live = rs.getString(1);
          liveAt = rs.getObject(2, OffsetDateTime.class);
        }
      }
    } catch (SQLException e) {
      throw new RunStoreException("Cannot read progress of run " + runId + ": " + e.getMessage(), e);
    }
    RunEvent latest = latestEvent(runId);
    boolean liveIsNewer = live != null && run.state().isInFlight()
        && (latest == null || liveAt != null && !liveAt.isBefore(latest.at()));
    String step = liveIsNewer ? live : latest == null ? null : latest.message();
    OffsetDateTime stepAt = liveIsNewer ? liveAt : latest == null ? null : latest.at();
    OffsetDateTime end = run.state().isInFlight() ? OffsetDateTime.now(ZoneOffset.UTC) : run.updatedAt();
    return new RunProgress(run.runId(), run.featureView(), run.window(), run.state(), step,
        Duration.between(run.createdAt(), end), run.createdAt(), stepAt, run.heartbeatAt(), run.message());
  }

  private RunEvent latestEvent(long runId) {
    long total = runs.eventPage(runId, PageRequest.first(1)).total();
    List<RunEvent> last = total == 0 ? List.of() : runs.eventPage(runId, PageRequest.of((int) (total - 1), 1)).items();
    return last.isEmpty() ? null : last.get(0);
  }
}
