package io.featurelake.sqlcatalog.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The gateway's users in the catalog database ({@code platform_users}). */
public final class UserRepository {

  /** A user with the stored hash, for the login check only. */
  public record Credentials(PlatformUser user, String passwordHash) {}

  private final DataSource db;

  public UserRepository(DataSource db) {
    this.db = db;
  }

  /** Adds a user; {@link IllegalStateException} naming the user if one of that name exists. */
  public PlatformUser create(String name, Role role, String passwordHash, String createdBy) {
    UserNames.check(name);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = db.getConnection()) {
      if (find(c, name).isPresent()) {
        throw new IllegalStateException("user '" + name + "' already exists");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO platform_users (user_name, role, password_hash, "
          + "disabled, created_by, created_at, updated_at) VALUES (?, ?, ?, FALSE, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, role.label());
        ps.setString(3, passwordHash);
        ps.setString(4, createdBy);
        ps.setObject(5, now);
        ps.setObject(6, now);
        ps.executeUpdate();
      }
      return find(c, name).orElseThrow().user();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new IllegalStateException("user '" + name + "' already exists");
      }
      throw new IllegalStateException("Cannot create user '" + name + "': " + e.getMessage(), e);
    }
  }

  public Optional<Credentials> credentials(String name) {
    if (!UserNames.valid(name)) {
      return Optional.empty();
    }
    try (Connection c = db.getConnection()) {
      return find(c, name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read user '" + name + "': " + e.getMessage(), e);
    }
  }

  public Optional<PlatformUser> find(String name) {
    return credentials(name).map(Credentials::user);
  }

  public PlatformUser setRole(String name, Role role) {
    return update(name, "role = ?", role.label());
  }

  public PlatformUser setDisabled(String name, boolean disabled) {
    return update(name, "disabled = ?", disabled);
  }

  public PlatformUser setPasswordHash(String name, String hash) {
    return update(name, "password_hash = ?", hash);
  }

  public List<PlatformUser> list() {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT * FROM platform_users ORDER BY user_name");
         ResultSet rs = ps.executeQuery()) {
      List<PlatformUser> out = new ArrayList<>();
      while (rs.next()) {
        out.add(read(rs).user());
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot list users: " + e.getMessage(), e);
    }
  }

  private PlatformUser update(String name, String assignment, Object value) {
    try (Connection c = db.getConnection();
         PreparedStatement ps = c.prepareStatement("UPDATE platform_users SET " + assignment + ", updated_at = ? "
             + "WHERE user_name = ?")) {
      ps.setObject(1, value);
      ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
      ps.setString(3, name);
      if (ps.executeUpdate() == 0) {
        throw new UserNotFoundException(name);
      }
      return find(c, name).orElseThrow(() -> new UserNotFoundException(name)).user();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot update user '" + name + "': " + e.getMessage(), e);
    }
  }

  private static Optional<Credentials> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM platform_users WHERE user_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Credentials read(ResultSet rs) throws SQLException {
    PlatformUser user = new PlatformUser(rs.getString("user_name"), Role.parse(rs.getString("role")),
        rs.getBoolean("disabled"), rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class));
    return new Credentials(user, rs.getString("password_hash"));
  }
}
