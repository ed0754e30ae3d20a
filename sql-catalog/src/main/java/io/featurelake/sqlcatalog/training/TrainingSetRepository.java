package io.featurelake.sqlcatalog.training;

import io.featurelake.sqlcatalog.training.TrainingSetManifest.PinnedSnapshot;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.RunUsage;
import io.featurelake.sqlcatalog.training.TrainingSetManifest.ViewInput;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Training-set manifests in the catalog database; one transaction per manifest. */
public final class TrainingSetRepository {

  private static final String COLUMNS = "name, table_name, mode, spine, spine_table, spine_snapshot_id, "
      + "label_time_column, features, entity_mapping, min_label_ms, max_label_ms, spine_rows, output_rows, "
      + "output_snapshot_id, git_commit, created_by, created_at, duration_ms";
  private static final String VIEW_COLUMNS = "name, position, feature_view, table_name, definition_sha256, "
      + "definition_commit, entity_columns, spine_columns, event_time_column, features, ttl_seconds, matched_rows";

  private final DataSource db;

  public TrainingSetRepository(DataSource db) {
    this.db = db;
  }

  public boolean exists(String name) {
    return find(name).isPresent();
  }

  public void save(TrainingSetManifest m) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        insert(c, "training_sets", COLUMNS, m.name(), m.tableName(), m.mode(), m.spine(), m.spineTable(),
            m.spineSnapshotId(), m.labelTimeColumn(), m.features(), m.entityMapping(), m.minLabelMs(), m.maxLabelMs(),
            m.spineRows(), m.outputRows(), m.outputSnapshotId(), m.gitCommit(), m.createdBy(), m.createdAt(),
            m.durationMs());
        int position = 0;
        for (ViewInput v : m.views()) {
          insert(c, "training_set_views", VIEW_COLUMNS, m.name(), position++, v.featureView(), v.tableName(),
              v.definitionSha256(), v.definitionCommit(), String.join(",", v.entityColumns()),
              String.join(",", v.spineColumns()), v.eventTimeColumn(), String.join(",", v.features()), v.ttlSeconds(),
              v.matchedRows());
          int p = 0;
          for (PinnedSnapshot s : v.snapshots()) {
            insert(c, "training_set_snapshots", "name, feature_view, position, snapshot_id, visible_from_ms, "
                + "visible_until_ms, pin_ref", m.name(), v.featureView(), p++, s.snapshotId(), s.visibleFromMs(),
                s.visibleUntilMs(), s.pinRef());
          }
          for (RunUsage r : v.runs()) {
            insert(c, "training_set_runs", "name, feature_view, run_id, rows_used", m.name(), v.featureView(),
                r.runId(), r.rowsUsed());
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot store the manifest of training set " + m.name() + ": " + e.getMessage(), e);
    }
  }

  public Optional<TrainingSetManifest> find(String name) {
    List<TrainingSetManifest> found = read("SELECT " + COLUMNS + " FROM training_sets WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Newest first. */
  public List<TrainingSetManifest> list() {
    return read("SELECT " + COLUMNS + " FROM training_sets ORDER BY created_at DESC, name", null);
  }

  /** Names of the training sets that used rows of a run (for the run's page and lineage). */
  public List<String> usingRun(long runId) {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT DISTINCT name FROM training_set_runs WHERE run_id = ? ORDER BY name")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the training sets of run " + runId + ": " + e.getMessage(), e);
    }
  }

  private List<TrainingSetManifest> read(String sql, String name) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (name != null) {
        ps.setString(1, name);
      }
      List<TrainingSetManifest> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String n = rs.getString("name");
          out.add(new TrainingSetManifest(n, rs.getString("table_name"), rs.getString("mode"), rs.getString("spine"),
              rs.getString("spine_table"), nullableLong(rs, "spine_snapshot_id"), rs.getString("label_time_column"),
              rs.getString("features"), rs.getString("entity_mapping"), nullableLong(rs, "min_label_ms"),
              nullableLong(rs, "max_label_ms"), rs.getLong("spine_rows"), rs.getLong("output_rows"),
              nullableLong(rs, "output_snapshot_id"), rs.getString("git_commit"), rs.getString("created_by"),
              rs.getObject("created_at", OffsetDateTime.class), rs.getLong("duration_ms"), views(c, n)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read training sets: " + e.getMessage(), e);
    }
  }

  private static List<ViewInput> views(Connection c, String name) throws SQLException {
    List<ViewInput> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + VIEW_COLUMNS
        + " FROM training_set_views WHERE name = ? ORDER BY position")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String view = rs.getString("feature_view");
          out.add(new ViewInput(view, rs.getString("table_name"), rs.getString("definition_sha256"),
              rs.getString("definition_commit"), split(rs.getString("entity_columns")),
              split(rs.getString("spine_columns")), rs.getString("event_time_column"), split(rs.getString("features")),
              nullableLong(rs, "ttl_seconds"), rs.getLong("matched_rows"), snapshots(c, name, view), runs(c, name, view)));
        }
      }
    }
    return out;
  }

  private static List<PinnedSnapshot> snapshots(Connection c, String name, String view) throws SQLException {
    List<PinnedSnapshot> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT snapshot_id, visible_from_ms, visible_until_ms, pin_ref "
        + "FROM training_set_snapshots WHERE name = ? AND feature_view = ? ORDER BY position")) {
      ps.setString(1, name);
      ps.setString(2, view);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new PinnedSnapshot(rs.getLong("snapshot_id"), nullableLong(rs, "visible_from_ms"),
              nullableLong(rs, "visible_until_ms"), rs.getString("pin_ref")));
        }
      }
    }
    return out;
  }

  private static List<RunUsage> runs(Connection c, String name, String view) throws SQLException {
    List<RunUsage> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT run_id, rows_used FROM training_set_runs "
        + "WHERE name = ? AND feature_view = ? ORDER BY run_id")) {
      ps.setString(1, name);
      ps.setString(2, view);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RunUsage(rs.getLong(1), rs.getLong(2)));
        }
      }
    }
    return out;
  }

  private static void insert(Connection c, String table, String columns, Object... values) throws SQLException {
    String marks = String.join(", ", java.util.Collections.nCopies(values.length, "?"));
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null) {
          ps.setNull(i + 1, Types.NULL);
        } else {
          ps.setObject(i + 1, values[i]);
        }
      }
      ps.executeUpdate();
    }
  }

  private static List<String> split(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
