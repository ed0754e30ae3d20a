package io.featurelake.sqlcatalog.security;

/**
 * Who runs a statement: the session's user and the role they hold now ({@code null} when the
 * account is disabled or gone: such a principal may do nothing).
 */
public record Principal(String name, Role role) {

  public boolean may(Permission permission) {
    return role != null && role.may(permission);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** "user 'rita' (role reader)" for messages. */
  public String describe() {
    return "user " + UserNames.quote(name) + (role == null ? " (disabled or removed)" : " (role " + role.label() + ")");
  }
}
