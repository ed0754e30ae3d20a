package io.featurelake.sqlcatalog.features;

import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.paging.PagedSql;
import io.featurelake.sqlcatalog.database.CatalogDatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of feature views in the catalog database (tables {@code feature_views} and
 * {@code feature_view_versions}, see the Flyway migrations). Plain, portable JDBC: the same SQL
 * runs on H2 in PostgreSQL mode and on PostgreSQL.
 */
public final class FeatureViewRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureViewRegistry.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int ATTEMPTS = 3;

  private static final String COLUMNS = "name, entity_columns, event_timestamp_column, owner, description, "
      + "online_ttl_seconds, definition_sha256, definition_text, source_path, git_commit, git_dirty, "
      + "registered_at, updated_at, sources, lookback_days, checks, sql_text";

  private final DataSource dataSource;
  private final Clock clock;

  public FeatureViewRegistry(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public FeatureViewRegistry(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /**
   * Inserts or updates every view in one transaction and records each definition text not seen
   * before in {@code feature_view_versions}. A view whose hash is unchanged keeps its
   * {@code updated_at}; only its path and git metadata are refreshed. Safe when several
   * processes register at once: a lost insert race is retried.
   */
  public List<RegistrationResult> register(List<FeatureViewDefinition> definitions) {
    Set<String> names = new HashSet<>();
    for (FeatureViewDefinition definition : definitions) {
      if (!names.add(definition.name())) {
        throw new IllegalArgumentException("Feature view '" + definition.name() + "' is listed twice");
      }
    }
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          List<RegistrationResult> results = new ArrayList<>();
          for (FeatureViewDefinition definition : definitions) {
            results.add(registerOne(c, definition));
          }
          c.commit();
          for (RegistrationResult result : results) {
            if (result.status() != RegistrationResult.Status.UNCHANGED) {
              LOG.info("Feature view {} {} (sha256 {})", result.name(), result.status(), result.sha256());
            }
          }
          return results;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(autoCommit);
        }
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < ATTEMPTS) {
          // Another process inserted the same view or version between our UPDATE and INSERT.
          continue;
        }
        throw new CatalogDatabaseException("Registering feature views failed: " + e.getMessage(), e);
      }
    }
  }

  private RegistrationResult registerOne(Connection c, FeatureViewDefinition d) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    RegistrationResult.Status status;
    try (PreparedStatement ps = c.prepareStatement("UPDATE feature_views SET source_path = ?, git_commit = ?, "
        + "git_dirty = ? WHERE name = ? AND definition_sha256 = ?")) {
      ps.setString(1, d.sourcePath());
      ps.setString(2, d.gitCommit());
      ps.setBoolean(3, d.gitDirty());
      ps.setString(4, d.name());
      ps.setString(5, d.sha256());
      status = ps.executeUpdate() > 0 ? RegistrationResult.Status.UNCHANGED : null;
    }
    if (status == null) {
      try (PreparedStatement ps = c.prepareStatement("UPDATE feature_views SET entity_columns = ?, "
          + "event_timestamp_column = ?, owner = ?, description = ?, online_ttl_seconds = ?, definition_sha256 = ?, "
          + "definition_text = ?, source_path = ?, git_commit = ?, git_dirty = ?, updated_at = ?, sources = ?, "
          + "lookback_days = ?, checks = ?, sql_text = ? WHERE name = ? AND definition_sha256 <> ?")) {
        int i = 0;
        ps.setString(++i, String.join(",", d.entities()));
        ps.setString(++i, d.eventTimestamp());
        ps.setString(++i, d.owner());
        ps.setString(++i, d.description());
        ps.setLong(++i, d.onlineTtl().getSeconds());
        ps.setString(++i, d.sha256());
        ps.setString(++i, d.definitionText());
        ps.setString(++i, d.sourcePath());
        ps.setString(++i, d.gitCommit());
        ps.setBoolean(++i, d.gitDirty());
        ps.setObject(++i, now);
        ps.setString(++i, String.join(",", d.sources()));
        ps.setInt(++i, d.lookbackDays());
        ps.setString(++i, d.checks().toJson());
        ps.setString(++i, d.sql());
        ps.setString(++i, d.name());
        // Only a different definition is a change: a row with this sha that another process
        // committed since our first UPDATE makes the INSERT below fail and the retry see UNCHANGED.
        ps.setString(++i, d.sha256());
        status = ps.executeUpdate() > 0 ? RegistrationResult.Status.CHANGED : null;
      }
    }
    if (status == null) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_views (" + COLUMNS + ") "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = 0;
        ps.setString(++i, d.name());
        ps.setString(++i, String.join(",", d.entities()));
        ps.setString(++i, d.eventTimestamp());
        ps.setString(++i, d.owner());
        ps.setString(++i, d.description());
        ps.setLong(++i, d.onlineTtl().getSeconds());
        ps.setString(++i, d.sha256());
        ps.setString(++i, d.definitionText());
        ps.setString(++i, d.sourcePath());
        ps.setString(++i, d.gitCommit());
        ps.setBoolean(++i, d.gitDirty());
        ps.setObject(++i, now);
        ps.setObject(++i, now);
        ps.setString(++i, String.join(",", d.sources()));
        ps.setInt(++i, d.lookbackDays());
        ps.setString(++i, d.checks().toJson());
        ps.setString(++i, d.sql());
        ps.executeUpdate();
        status = RegistrationResult.Status.NEW;
      }
    }
    recordVersion(c, d, now);
    return new RegistrationResult(d.name(), status, d.sha256());
  }

  /** Every status checks, so a history that misses the current text (for any reason) heals. */
  private static void recordVersion(Connection c, FeatureViewDefinition d, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM feature_view_versions WHERE name = ? AND sha256 = ?")) {
      ps.setString(1, d.name());
      ps.setString(2, d.sha256());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_view_versions "
        + "(name, sha256, definition_text, git_commit, git_dirty, first_seen_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, d.name());
      ps.setString(2, d.sha256());
      ps.setString(3, d.definitionText());
      ps.setString(4, d.gitCommit());
      ps.setBoolean(5, d.gitDirty());
      ps.setObject(6, now);
      ps.executeUpdate();
    }
  }

  /** The registered view called {@code name}. */
  public Optional<RegisteredFeatureView> find(String name) {
    List<RegisteredFeatureView> found = query("SELECT " + COLUMNS + " FROM feature_views WHERE name = ?", name);
    return found.stream().findFirst();
  }

  /** Every registered view, sorted by name. */
  public List<RegisteredFeatureView> list() {
    return query("SELECT " + COLUMNS + " FROM feature_views ORDER BY name", null);
  }

  /** One page of the registered views, by name. */
  public Page<RegisteredFeatureView> page(PageRequest page) {
    try {
      return PagedSql.page(dataSource, "SELECT " + COLUMNS, "FROM feature_views", List.of(), "ORDER BY name", page,
          FeatureViewRegistry::view);
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Reading feature views failed: " + e.getMessage(), e);
    }
  }

  /** One page of the definition texts {@code name} has had, newest first. */
  public Page<FeatureViewVersion> versionPage(String name, PageRequest page) {
    try {
      return PagedSql.page(dataSource, "SELECT name, sha256, definition_text, git_commit, git_dirty, first_seen_at",
          "FROM feature_view_versions WHERE name = ?", List.of(name), "ORDER BY first_seen_at DESC, sha256", page,
          FeatureViewRegistry::version);
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Reading versions of feature view " + name + " failed: " + e.getMessage(), e);
    }
  }

  /** Every definition text {@code name} has had, oldest first. */
  public List<FeatureViewVersion> versions(String name) {
    return versionQuery("SELECT name, sha256, definition_text, git_commit, git_dirty, first_seen_at "
        + "FROM feature_view_versions WHERE name = ? ORDER BY first_seen_at, sha256", name, null);
  }

  /** The definition text {@code name} had when its hash was {@code sha256}. */
  public Optional<FeatureViewVersion> version(String name, String sha256) {
    return versionQuery("SELECT name, sha256, definition_text, git_commit, git_dirty, first_seen_at "
        + "FROM feature_view_versions WHERE name = ? AND sha256 = ?", name, sha256).stream().findFirst();
  }

  private List<RegisteredFeatureView> query(String sql, String name) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (name != null) {
        ps.setString(1, name);
      }
      List<RegisteredFeatureView> views = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          views.add(view(rs));
        }
      }
      return views;
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Reading feature views failed: " + e.getMessage(), e);
    }
  }

  private List<FeatureViewVersion> versionQuery(String sql, String name, String sha256) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      if (sha256 != null) {
        ps.setString(2, sha256);
      }
      List<FeatureViewVersion> versions = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.add(version(rs));
        }
      }
      return versions;
    } catch (SQLException e) {
      throw new CatalogDatabaseException("Reading feature view versions failed: " + e.getMessage(), e);
    }
  }

  private static FeatureViewVersion version(ResultSet rs) throws SQLException {
    return new FeatureViewVersion(rs.getString("name"), rs.getString("sha256").trim(), rs.getString("definition_text"),
        rs.getString("git_commit"), rs.getBoolean("git_dirty"), rs.getObject("first_seen_at", OffsetDateTime.class));
  }

  private static RegisteredFeatureView view(ResultSet rs) throws SQLException {
    String name = rs.getString("name");
    String definitionText = rs.getString("definition_text");
    String sql = rs.getString("sql_text");
    String suffix = FeatureViewDefinition.SQL_SEPARATOR + sql;
    if (sql == null || rs.getString("sources") == null || !definitionText.endsWith(suffix)) {
      throw new IllegalStateException("Feature view '" + name + "' was registered without its details; register it again");
    }
    String yaml = definitionText.substring(0, definitionText.length() - suffix.length());
    FeatureViewDefinition definition = new FeatureViewDefinition(
        name,
        rs.getString("description"),
        rs.getString("owner"),
        Arrays.asList(rs.getString("entity_columns").split(",")),
        rs.getString("event_timestamp_column"),
        Arrays.asList(rs.getString("sources").split(",")),
        rs.getInt("lookback_days"),
        Duration.ofSeconds(rs.getLong("online_ttl_seconds")),
        Checks.fromJson(rs.getString("checks")),
        yaml,
        sql,
        rs.getString("source_path"),
        rs.getString("definition_sha256").trim(),
        rs.getString("git_commit"),
        rs.getBoolean("git_dirty"));
    return new RegisteredFeatureView(definition, rs.getObject("registered_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class));
  }
}
